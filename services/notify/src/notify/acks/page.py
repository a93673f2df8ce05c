"""The tiny HTML pages of an ack link (no scripts, no external resources)."""

from html import escape

from fastapi.responses import HTMLResponse

STYLE = "body{font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}"


def page(title: str, text: str, status: int, form_action: str | None = None) -> HTMLResponse:
    """A page with a heading, a sentence and, to acknowledge, a one-button form."""
    form = ""
    if form_action is not None:
        form = (
            f'<form method="post" action="{escape(form_action)}">'
            '<button type="submit">Acknowledge: I am taking this on</button></form>'
        )
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1><p>{escape(text)}</p>{form}</main></body></html>"
    )
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    return HTMLResponse(html, status_code=status, headers=headers)
