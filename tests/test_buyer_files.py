"""What a municipality's buyer checks first (publiccode.yml, SECURITY.md, the licence, the
changelog) is there and agrees with the product."""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]

# publiccode.yml standard (yml.publiccode.tools, schema.core): the keys it makes mandatory.
MANDATORY = [
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "developmentStatus",
    "softwareType",
    "legal/license",
    "maintenance/type",
    "maintenance/contacts",  # mandatory for maintenance type internal or community
    "localisation/localisationReady",
    "localisation/availableLanguages",
]
# Left to the programme owner (the file's header says why); remove a key here once it is set.
PENDING = {"url", "maintenance/contacts"}
DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}


def _get(data: dict, path: str):
    for part in path.split("/"):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def test_publiccode_has_every_mandatory_key_but_the_pending_ones():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text())
    missing = {key for key in MANDATORY if _get(data, key) in (None, "", [])}
    assert missing == PENDING, "update PENDING once the owner has set a key"
    assert data["developmentStatus"] in DEVELOPMENT_STATUS
    assert data["legal"]["license"] == "EUPL-1.2"
    languages = {code for code, _ in settings.LANGUAGES}
    assert set(data["localisation"]["availableLanguages"]) == languages
    for lang in ("nl", "en"):
        description = data["description"][lang]
        assert len(description["shortDescription"]) <= 150
        assert 150 <= len(description["longDescription"]) <= 10000
        assert description["features"]


def test_publiccode_version_is_the_products():
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text())
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'version = "{data["softwareVersion"]}"' in pyproject


def test_security_md_names_the_address_security_txt_publishes_by_default():
    text = (ROOT / "SECURITY.md").read_text()
    address = settings.WEL_SECURITY_CONTACT.removeprefix("mailto:")
    assert address in text
    assert "## Supported versions" in text


def test_the_licence_is_the_eupl_in_both_authentic_languages_used_here():
    text = (ROOT / "LICENSE.md").read_text()
    assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in text
    assert "OPENBARE LICENTIE VAN DE EUROPESE UNIE v. 1.2" in text
    assert "Licensed under the EUPL" in text


def test_the_changelog_has_an_unreleased_section_and_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text())
    assert "## [Unreleased]" in text
    assert f"## [{data['softwareVersion']}]" in text
