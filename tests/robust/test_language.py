"""Language identification refuses text only on clear evidence; short English is not refused."""

from __future__ import annotations

import pytest

from dragoman.clean import clean_article
from dragoman.errors import InputError, UnsupportedLanguageError

# Headlines and short leads written for this test: names from everywhere, few function words.
SHORT_ENGLISH = [
    "Buhari says Boko Haram technically defeated",
    "Gunmen abduct 30 pupils in Kaduna",
    "Naira falls against dollar",
    "Sahel juntas quit Ecowas bloc",
    "Modi meets Xi at BRICS summit in Kazan",
    "Tinubu vows justice for Plateau victims",
    "Police detain dozens in Tbilisi protest",
    "Ouattara names new premier",
]
FOREIGN = [
    ("Le président a annoncé lundi la fin de la mission militaire au Sahel, selon un communiqué "
     "publié par la présidence, qui évoque une décision prise en concertation avec les autorités.", "fr"),
    ("Der Präsident hat am Montag das Ende der Militärmission in der Sahelzone angekündigt, hieß es "
     "in einer Mitteilung, die nach einem Treffen mit den Behörden veröffentlicht wurde.", "de"),
    ("El presidente anunció el lunes el fin de la misión militar en el Sahel, según un comunicado "
     "publicado por la presidencia tras una reunión con las autoridades locales.", "es"),
]


@pytest.mark.parametrize("headline", SHORT_ENGLISH)
def test_short_english_is_analysed(headline: str) -> None:
    assert clean_article(headline).text == headline


@pytest.mark.parametrize(("text", "code"), FOREIGN)
def test_other_languages_are_refused_with_their_name(text: str, code: str) -> None:
    with pytest.raises(UnsupportedLanguageError) as err:
        clean_article(text)
    assert err.value.language == code


def test_a_list_of_links_is_told_as_such_not_as_a_language() -> None:
    with pytest.raises(InputError, match="list of 3 links") as err:
        clean_article("https://example.org/a\nhttps://example.org/b\nwww.example.net/c\n")
    assert not isinstance(err.value, UnsupportedLanguageError)


def test_links_inside_an_english_article_do_not_change_its_language() -> None:
    text = ("Police arrested 14 people in Nairobi on Thursday, a spokesman said. "
            "https://example.org/statement https://example.org/photos https://example.org/video")
    assert clean_article(text).language == "en"
