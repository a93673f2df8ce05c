"""The sign-in and error pages: plain HTML, labelled fields, no external resources."""

from collections.abc import Mapping, Sequence
from html import escape

from fastapi.responses import HTMLResponse

from saathi_stack.dev_oidc.people import Person

STYLE = (
    "body{font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    ".banner{background:#fff3cd;border:2px solid #8a6d00;padding:.75rem;font-weight:bold}"
    "label{display:block;margin-top:1rem;font-weight:bold}select,input,button{font-size:1rem}"
    "select,input[type=text]{width:100%;padding:.3rem}button{margin-top:1.5rem;padding:.5rem 1rem}"
    ".error{color:#a00000;font-weight:bold}:focus{outline:3px solid #1a5fb4;outline-offset:2px}"
)
# Without JavaScript every person is offered; with it, only those suited to the chosen role.
SCRIPT = (
    "const r=document.getElementById('role'),w=document.getElementById('person');"
    "function f(){for(const g of w.querySelectorAll('optgroup'))"
    "{g.disabled=g.dataset.role!==r.value}"
    "const o=w.selectedOptions[0];if(!o||o.parentElement.disabled){"
    "const n=w.querySelector('optgroup:not([disabled]) option');if(n)n.selected=true}}"
    "r.addEventListener('change',f);f();"
)
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
BANNER = (
    '<p class="banner">Development sign-in — not for production. Anyone can sign in '
    "here as anyone; a deployment signs in at the hospital's identity provider.</p>"
)


def _document(title: str, body: str, status: int) -> HTMLResponse:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def error_page(reason: str, status: int = 400) -> HTMLResponse:
    """Why the sign-in cannot go on (no redirect: the client is not to be trusted)."""
    text = (
        f'{BANNER}<p class="error">{escape(reason)}</p><p>Check the console\'s OIDC settings.</p>'
    )
    return _document("Sign-in refused", text, status)


def signed_out_page() -> HTMLResponse:
    """Sign-out done (the dev issuer keeps no session of its own)."""
    text = f"{BANNER}<p>You are signed out. Close this tab, or sign in again from the console.</p>"
    return _document("Signed out", text, 200)


def _options(values: Sequence[tuple[str, str]], chosen: str) -> str:
    return "".join(
        f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
        f"{escape(label)}</option>"
        for value, label in values
    )


def _people(people: Mapping[str, Sequence[Person]], person: str) -> str:
    groups = "".join(
        f'<optgroup label="{escape(group.replace("_", " "))}" data-role="{escape(group)}">'
        f"{_options([(p.person_id, p.label) for p in members], person)}</optgroup>"
        for group, members in people.items()
        if members
    )
    return f'<select id="person" name="person">{groups}</select>'


def sign_in_page(
    fields: Mapping[str, str],
    people: Mapping[str, Sequence[Person]],
    branches: Sequence[str],
    chosen: Mapping[str, str],
    problem: str | None = None,
) -> HTMLResponse:
    """The form: role, branch and person, with the authorization request in hidden fields."""
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in fields.items()
    )
    role = chosen.get("role", "coordinator")
    branch_choices = [("", "every branch (network)"), *[(b, b) for b in branches]]
    error = f'<p class="error" role="alert" id="problem">{escape(problem)}</p>' if problem else ""
    body = (
        f"{BANNER}{error}"
        f"<p>Signing in to <strong>{escape(fields['client_id'])}</strong>.</p>"
        f'<form method="post" action="authorize">{hidden}'
        f'<label for="role">Role</label><select id="role" name="role">'
        f"{_options([(r, r.replace('_', ' ')) for r in people], role)}</select>"
        f'<label for="branch">Branch</label><select id="branch" name="branch">'
        f"{_options(branch_choices, chosen.get('branch', ''))}</select>"
        f'<label for="person">Who</label>{_people(people, chosen.get("person", ""))}'
        '<label for="person_id">Or another person id (overrides the list)</label>'
        f'<input type="text" id="person_id" name="person_id" autocomplete="off" '
        f'value="{escape(chosen.get("person_id", ""))}" aria-describedby="person_id_hint">'
        '<small id="person_id_hint">Letters, digits, dot, dash, underscore or @; '
        "for a mentor, their mentor id.</small><br>"
        f'<button type="submit">Sign in</button></form><script>{SCRIPT}</script>'
    )
    return _document("Sign in to Saathi (development)", body, 400 if problem else 200)
