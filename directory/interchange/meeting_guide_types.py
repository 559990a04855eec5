"""The Meeting Guide meeting type codes, and what each means in our taxonomy.

Codes come from the Meeting Guide specification (code4recovery/spec, data/types.json). Most
describe a recovery meeting's style ("B" Big Book, "SP" Speaker) and have no counterpart
here; they are known, and ignored without a warning. ``EXPORTABLE`` are the codes the
specification's JSON schema accepts, so an export uses no others.
"""

from __future__ import annotations

#: Every code in the specification's list, with or without a meaning here.
_CODES = (
    "11 12x12 A ABSI AF AL AL-AN AM AR ASL B BA BE BG BI BRK C CAN CF D DA DB DD DE DR EL EN FA "
    "FI FF FR G GR H HE HI HR HU IS ITA JA KA KOR L LGBTQ LIT LS LT M MED ML MT N NB NDG NE NL NO "
    "O OUT P POA POC POL POR PUN RUS S SEN SK SL SM SP ST SV T TC TH TL TR TUR UK W X XB XT Y "
    "BV-I D-HOH LO-I QSL RSL LGBTQIAA+ ONL"
)
KNOWN = frozenset(_CODES.split())
#: The codes the Meeting Guide JSON schema (meeting-type.schema.json) allows.
EXPORTABLE = KNOWN - {"AF", "AR", "BG", "FI", "IS", "KA", "MT", "NE", "NL", "SL", "ONL"}

#: Code -> ISO 639-1 language.
LANGUAGES = {
    "AF": "af", "AM": "am", "AR": "ar", "BG": "bg", "DA": "da", "DE": "de", "EL": "el",
    "EN": "en", "FA": "fa", "FI": "fi", "FR": "fr", "HE": "he", "HI": "hi", "HR": "hr",
    "HU": "hu", "IS": "is", "ITA": "it", "JA": "ja", "KA": "ka", "KOR": "ko", "LT": "lt",
    "ML": "ml", "MT": "mt", "NE": "ne", "NL": "nl", "NO": "no", "POL": "pl", "POR": "pt",
    "PUN": "pa", "RUS": "ru", "S": "es", "SK": "sk", "SL": "sl", "SV": "sv", "TH": "th",
    "TL": "tl", "TUR": "tr", "UK": "uk",
}  # fmt: skip
#: Code -> (vocabulary, slug) for audiences, accessibility features and topics.
TERMS = {
    "BI": ("audience", "lgbtq"), "G": ("audience", "lgbtq"), "L": ("audience", "lgbtq"),
    "LGBTQ": ("audience", "lgbtq"), "LGBTQIAA+": ("audience", "lgbtq"),
    "NB": ("audience", "lgbtq"), "T": ("audience", "lgbtq"), "M": ("audience", "men"),
    "W": ("audience", "women"), "N": ("audience", "bipoc"), "NDG": ("audience", "bipoc"),
    "POC": ("audience", "bipoc"), "SEN": ("audience", "older-adults"),
    "Y": ("audience", "young-adults"), "X": ("accessibility", "wheelchair"),
    "XB": ("accessibility", "accessible-restroom"), "ASL": ("accessibility", "asl"),
    "BA": ("accessibility", "childcare"), "FF": ("accessibility", "scent-free"),
    "DD": ("topic", "dual-diagnosis"),
}  # fmt: skip
#: The code an export writes for each of our terms and languages.
EXPORT_TERMS = {
    ("audience", "lgbtq"): "LGBTQ", ("audience", "men"): "M", ("audience", "women"): "W",
    ("audience", "bipoc"): "POC", ("audience", "older-adults"): "SEN",
    ("audience", "young-adults"): "Y", ("accessibility", "wheelchair"): "X",
    ("accessibility", "accessible-restroom"): "XB", ("accessibility", "asl"): "ASL",
    ("accessibility", "childcare"): "BA", ("accessibility", "scent-free"): "FF",
    ("topic", "dual-diagnosis"): "DD",
}  # fmt: skip
EXPORT_LANGUAGES = {code: tag for tag, code in LANGUAGES.items() if tag in EXPORTABLE}
#: "Location Temporarily Closed": the meeting happens online only, or not at all.
TEMPORARILY_CLOSED = "TC"
ONLINE = "ONL"
