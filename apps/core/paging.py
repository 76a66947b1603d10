"""Reading a page number typed in a URL: anything but a positive whole number is page 1."""


def page_number(raw: str | None, *, maximum: int | None = None) -> int:
    if not raw or not raw.isdigit() or int(raw) < 1:
        return 1
    number = int(raw)
    return 1 if maximum is not None and number >= maximum else number
