"""A moderator signs in and out in a real browser, on phone and desktop, in English and Spanish."""

from __future__ import annotations

import pytest

from tests.browser.conftest import moderator_account

PASSWORD = "browser moderator password"


@pytest.fixture(scope="module")
def moderator(site):
    """Create a moderator account in the browser site's database (once for this module)."""
    return moderator_account(site, "browser-signin@example.org", PASSWORD)


WORDS = {
    "en": {"email": "Email address", "password": "Password", "sign_in": "Sign in",
           "sign_out": "Sign out", "signed_in": "Signed in as", "forgot": "Forgot your password?",
           "send": "Send me a link", "sent": "If that address has a moderator account",
           "wrong": "do not match an account", "signed_out": "You have signed out."},
    "es": {"email": "Correo electrónico", "password": "Contraseña", "sign_in": "Iniciar sesión",
           "sign_out": "Cerrar sesión", "signed_in": "Sesión iniciada como",
           "forgot": "¿Olvidó su contraseña?", "send": "Enviarme un enlace",
           "sent": "Si esa dirección tiene una cuenta de moderación",
           "wrong": "no coinciden con ninguna cuenta", "signed_out": "Ha cerrado la sesión."},
}  # fmt: skip


def _journey(visit, axe, moderator, language, label):
    words = WORDS[language]
    page = visit.page
    visit.goto("/moderate/login")
    assert page.locator("html").get_attribute("lang") == language
    axe(visit, f"sign-in ({label})")
    page.get_by_label(words["email"]).fill(moderator)
    page.get_by_label(words["password"], exact=True).fill("not the password")
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_load_state("load")
    assert words["wrong"] in page.locator("main").inner_text()
    assert page.get_by_label(words["email"]).input_value() == moderator
    axe(visit, f"sign-in refused ({label})")

    page.get_by_label(words["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_load_state("load")
    # No queue page yet in every build: the signed-in layout shows on any moderators' page.
    visit.goto("/moderate/reset")
    nav = page.locator("nav.moderate-nav")
    assert f"{words['signed_in']} {moderator}" in nav.inner_text()
    axe(visit, f"signed-in layout ({label})")
    visit.screenshot(f"moderate-signed-in-{label}")
    page.get_by_role("button", name=words["sign_out"]).click()
    page.wait_for_load_state("load")
    assert words["signed_out"] in page.locator("main").inner_text()
    assert page.get_by_role("button", name=words["sign_out"]).count() == 0

    page.get_by_role("link", name=words["forgot"]).click()
    page.wait_for_load_state("load")
    axe(visit, f"reset request ({label})")
    page.get_by_label(words["email"]).fill("nobody@example.org")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_load_state("load")
    assert words["sent"] in page.locator("main").inner_text()
    axe(visit, f"reset sent ({label})")


def test_sign_in_on_a_phone_in_english(phone, axe, moderator):
    _journey(phone, axe, moderator, "en", "phone-en")


def test_sign_in_on_a_desktop_in_english(desktop, axe, moderator):
    _journey(desktop, axe, moderator, "en", "desktop-en")


def test_sign_in_on_a_phone_in_spanish(spanish_phone, axe, moderator):
    _journey(spanish_phone, axe, moderator, "es", "phone-es")


def test_sign_in_on_a_desktop_in_spanish(spanish_desktop, axe, moderator):
    _journey(spanish_desktop, axe, moderator, "es", "desktop-es")
