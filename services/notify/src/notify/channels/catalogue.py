"""Every phrase a notification is made of, in English and Bengali. A line is a tuple of
alternatives: the first whose placeholders are all known is used, and a line with none is left
out. Placeholders are formatted facts only (see facts.py); no subject ever names a ref."""

from collections.abc import Sequence
from dataclasses import dataclass

Line = tuple[str, ...]


@dataclass(frozen=True)
class Template:
    subject: Sequence[Line]
    body: Sequence[Line]


@dataclass(frozen=True)
class Phrases:
    kinds: dict[str, Template]
    tasks: dict[str, Line]
    severity: dict[str, str]
    ack: str
    console: str
    footer: str


_TASK_BODY_EN: list[Line] = [("{task_text}",), ("Reference: {ref}",), ("Due by {deadline}.",)]
_TASK_BODY_BN: list[Line] = [("{task_text}",), ("সূত্র: {ref}",), ("{deadline}-এর মধ্যে করতে হবে।",)]

EN = Phrases(
    kinds={
        "crisis": Template(
            subject=[
                (
                    "Saathi: crisis alert ({severity}) at {branch}, escalated (level {escalated})",
                    "Saathi: crisis alert ({severity}) at {branch}",
                ),
                (" — acknowledge within {ack_within_min} min",),
            ],
            body=[
                (
                    "A crisis was flagged at branch {branch}, ward {ward} (severity: {severity}).",
                    "A crisis was flagged at branch {branch} (severity: {severity}).",
                ),
                ("Reference: {ref}",),
                ("Nobody before you acknowledged it: it comes to you (level {escalated}).",),
                ("Acknowledge by {deadline}, or it goes to the next person on duty.",),
            ],
        ),
        "proposal": Template(
            subject=[("Saathi: a match proposal waits for review at {branch}",)],
            body=[
                ("A mentor match proposal waits for your review at branch {branch}.",),
                ("Reference: {ref}",),
            ],
        ),
        "coordinator_task": Template(
            subject=[("Saathi: a task waits for you at {branch}",)], body=_TASK_BODY_EN
        ),
        "outreach": Template(
            subject=[("Saathi: outreach due at {branch}", "Saathi: outreach due")],
            body=_TASK_BODY_EN,
        ),
        "dead_letter": Template(
            subject=[
                (
                    "Saathi: a message from {source} needs a human (dead letter)",
                    "Saathi: a message needs a human (dead letter)",
                )
            ],
            body=[
                (
                    "{count} event(s) from {source} could not be processed (dead letters).",
                    "Events from {source} could not be processed (dead letters).",
                    "Events could not be processed (dead letters).",
                ),
                ("Replay or discard them, with a reason, in the console.",),
            ],
        ),
    },
    tasks={
        "waitlist": ("A patient is on the waitlist: no mentor fits yet.",),
        "no_group": ("A patient has no peer-support group to join.",),
        "consent_pending": ("An admission waits for the patient's consent to peer support.",),
        "certification_lapsing": (
            "A mentor's certification lapses within {days} days.",
            "A mentor's certification lapses soon.",
        ),
        "supervision_ratio": ("A supervisor has more mentors than the supervision ratio allows.",),
        "wellbeing_support": ("A mentor asked for support in a wellbeing check.",),
        "missed_first_meeting": ("A patient missed the first meeting with a mentor: reach out.",),
        "missed_session": ("A patient missed a session with their mentor: reach out.",),
        "follow_up_due": (
            "The {days}-day follow-up with a discharged patient was missed: reach out.",
            "A follow-up call with a discharged patient is due.",
        ),
    },
    severity={"moderate": "moderate", "high": "high", "critical": "critical"},
    ack="Acknowledge: {ack_url}",
    console="Open in the console: {console_url}",
    footer="This message carries no patient details by design; the console has them.",
)

BN = Phrases(
    kinds={
        "crisis": Template(
            subject=[
                (
                    "Saathi: সংকট সতর্কতা ({severity}), {branch} শাখা, স্তর {escalated}-এ পাঠানো",
                    "Saathi: সংকট সতর্কতা ({severity}), {branch} শাখা",
                ),
                (" — {ack_within_min} মিনিটের মধ্যে স্বীকার করুন",),
            ],
            body=[
                (
                    "{branch} শাখার {ward} ওয়ার্ডে একটি সংকট চিহ্নিত হয়েছে (মাত্রা: {severity})।",
                    "{branch} শাখায় একটি সংকট চিহ্নিত হয়েছে (মাত্রা: {severity})।",
                ),
                ("সূত্র: {ref}",),
                ("আপনার আগে কেউ স্বীকার করেননি, তাই এটি আপনার কাছে এসেছে (স্তর {escalated})।",),
                ("{deadline}-এর মধ্যে স্বীকার করুন, নইলে এটি দায়িত্বে থাকা পরের জনের কাছে যাবে।",),
            ],
        ),
        "proposal": Template(
            subject=[("Saathi: {branch} শাখায় একটি মেন্টর-মিলের প্রস্তাব পর্যালোচনার অপেক্ষায়",)],
            body=[
                ("{branch} শাখায় একটি মেন্টর-মিলের প্রস্তাব আপনার পর্যালোচনার অপেক্ষায় আছে।",),
                ("সূত্র: {ref}",),
            ],
        ),
        "coordinator_task": Template(
            subject=[("Saathi: {branch} শাখায় একটি কাজ আপনার অপেক্ষায়",)], body=_TASK_BODY_BN
        ),
        "outreach": Template(
            subject=[("Saathi: {branch} শাখায় যোগাযোগ করা প্রয়োজন", "Saathi: যোগাযোগ করা প্রয়োজন")],
            body=_TASK_BODY_BN,
        ),
        "dead_letter": Template(
            subject=[
                (
                    "Saathi: {source}-এর একটি বার্তা একজন মানুষের দেখা দরকার (ডেড লেটার)",
                    "Saathi: একটি বার্তা একজন মানুষের দেখা দরকার (ডেড লেটার)",
                )
            ],
            body=[
                (
                    "{source}-এর {count}টি ইভেন্ট প্রক্রিয়া করা যায়নি (ডেড লেটার)।",
                    "{source}-এর কিছু ইভেন্ট প্রক্রিয়া করা যায়নি (ডেড লেটার)।",
                    "কিছু ইভেন্ট প্রক্রিয়া করা যায়নি (ডেড লেটার)।",
                ),
                ("কনসোলে কারণ লিখে সেগুলি আবার চালান বা বাতিল করুন।",),
            ],
        ),
    },
    tasks={
        "waitlist": ("একজন রোগী অপেক্ষা-তালিকায় আছেন: এখনও কোনো উপযুক্ত মেন্টর নেই।",),
        "no_group": ("একজন রোগীর যোগ দেওয়ার মতো কোনো সহায়তা-দল নেই।",),
        "consent_pending": ("একটি ভর্তি সহায়তার জন্য রোগীর সম্মতির অপেক্ষায় আছে।",),
        "certification_lapsing": (
            "একজন মেন্টরের সার্টিফিকেশনের মেয়াদ {days} দিনের মধ্যে শেষ হবে।",
            "একজন মেন্টরের সার্টিফিকেশনের মেয়াদ শীঘ্রই শেষ হবে।",
        ),
        "supervision_ratio": ("একজন সুপারভাইজারের অধীনে অনুমোদিত অনুপাতের চেয়ে বেশি মেন্টর আছেন।",),
        "wellbeing_support": ("একজন মেন্টর সুস্থতা-যাচাইয়ে সহায়তা চেয়েছেন।",),
        "missed_first_meeting": ("একজন রোগী মেন্টরের সঙ্গে প্রথম সাক্ষাতে আসেননি: যোগাযোগ করুন।",),
        "missed_session": ("একজন রোগী মেন্টরের সঙ্গে একটি সাক্ষাতে আসেননি: যোগাযোগ করুন।",),
        "follow_up_due": (
            "ছুটি পাওয়া একজন রোগীর {days} দিনের ফলো-আপ হয়নি: যোগাযোগ করুন।",
            "ছুটি পাওয়া একজন রোগীর সঙ্গে ফলো-আপ যোগাযোগের সময় হয়েছে।",
        ),
    },
    severity={"moderate": "মাঝারি", "high": "উচ্চ", "critical": "গুরুতর"},
    ack="স্বীকার করতে: {ack_url}",
    console="কনসোলে খুলুন: {console_url}",
    footer="এই বার্তায় ইচ্ছা করেই রোগীর কোনো তথ্য নেই; বিস্তারিত কনসোলে দেখুন।",
)

CATALOGUE = {"en": EN, "bn": BN}
