"""Pure rules of delivery: retry timing (the texts are channels/texts.py)."""


def backoff_s(attempts: int, base_s: float, cap_s: float) -> float:
    """Delay before the next try after `attempts` sends: base, 2 x base, 4 x base ... up to cap."""
    return float(min(cap_s, base_s * 2 ** max(0, attempts - 1)))
