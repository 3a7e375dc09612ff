"""Chinese messages: rules."""

ZH: dict[str, str] = {
}
