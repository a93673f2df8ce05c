"""Fictional people for the replay: Bengali and Latin names, birth dates, ABHA numbers."""

import random
from datetime import date, timedelta

# (Latin, Bengali, sex): vendor 1 sends the Bengali script, vendor 2 upper-case Latin.
GIVEN = (
    ("Rina", "রিনা", "F"),
    ("Pallabi", "পল্লবী", "F"),
    ("Moumita", "মৌমিতা", "F"),
    ("Sabina", "সাবিনা", "F"),
    ("Ishita", "ইশিতা", "F"),
    ("Sumit", "সুমিত", "M"),
    ("Imran", "ইমরান", "M"),
    ("Arjun", "অর্জুন", "M"),
    ("Rahul", "রাহুল", "M"),
    ("Tanmoy", "তন্ময়", "M"),
)
FAMILY = (
    ("Das", "দাস"),
    ("Banerjee", "বন্দ্যোপাধ্যায়"),
    ("Chatterjee", "চট্টোপাধ্যায়"),
    ("Khan", "খান"),
    ("Mondal", "মণ্ডল"),
    ("Saha", "সাহা"),
    ("Mukherjee", "মুখোপাধ্যায়"),
    ("Sarkar", "সরকার"),
    ("Ali", "আলি"),
)
AREAS = ("depression", "anxiety", "bipolar disorder", "schizophrenia", "substance use", "psychosis")


def birth_date(rng: random.Random) -> date:
    """A birth date between 1950 and 2006; one in five on a year's first or last day, where a
    day's shift would also change the year."""
    year = rng.randint(1950, 2006)
    if rng.random() < 0.2:
        return date(year, 1, 1) if rng.random() < 0.5 else date(year, 12, 31)
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def abha_number(rng: random.Random) -> str:
    """A 14-digit ABHA number (digits only; how it is written is up to each sender)."""
    return "91" + "".join(str(rng.randrange(10)) for _ in range(12))


def hyphenated(abha: str) -> str:
    """ABHA as printed on the card: 91-4443-4293-4402."""
    return f"{abha[:2]}-{abha[2:6]}-{abha[6:10]}-{abha[10:]}"
