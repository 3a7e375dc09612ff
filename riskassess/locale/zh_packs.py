"""Chinese messages: rule-pack tests (riskassess test) and lint."""

ZH: dict[str, str] = {
}
