"""Chinese messages: plugins."""

ZH: dict[str, str] = {
}
