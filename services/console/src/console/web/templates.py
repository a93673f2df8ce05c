"""Server-rendered pages: Jinja templates with the person's language, their CSRF token and the
navigation their role may use."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from console.web.i18n import LANGUAGES, Translator, language_of

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parents[1] / "templates"))

# Which screens each role works in (the APIs still decide what each may see and do).
NAVIGATION: dict[str, tuple[str, ...]] = {
    "coordinator": ("board", "duty", "alerts", "rosters", "aftercare"),
    "clinician": ("duty",),
    "mentor": ("mentor",),
    "supervisor": ("supervisor", "duty"),
    "ops": ("ops",),
    "privacy_officer": (),
}


def translator(request: Request) -> Translator:
    """The request's translator (made once per request)."""
    found = getattr(request.state, "translator", None)
    if found is None:
        settings = request.app.state.console.settings
        found = Translator(
            language_of(request, settings.default_language), settings.branch_timezone
        )
        request.state.translator = found
    return found


def render(
    request: Request, name: str, values: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page or fragment in the person's language."""
    t = translator(request)
    visitor = getattr(request.state, "visitor", None)
    page = {
        "t": t,
        "day": t.day,
        "lang": t.language,
        "languages": LANGUAGES,
        "visitor": visitor,
        "csrf": visitor.csrf if visitor else "",
        "navigation": NAVIGATION.get(visitor.role, ()) if visitor else (),
        "path": request.url.path,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        **values,
    }
    return TEMPLATES.TemplateResponse(request, name, page, status_code=status_code)
