from interviews.deidentify import find_identifying, name_tokens, scrub


def test_particles_are_not_names():
    assert name_tokens("Roos de Boer") == ["Roos de Boer", "Boer", "Roos"]
    assert scrub("Werken met de handen, zei Roos de Boer.", ["Roos de Boer"]) == (
        "Werken met de handen, zei […]."
    )
    assert (
        find_identifying("Vervoer naar de boerderij van de gemeente", ["Roos van der Berg"]) == []
    )


def test_finds_names_references_numbers_and_dates():
    text = "Sem (EMM-2026-0007), BSN 123456782, geboren 1-2-2013"
    assert find_identifying(text, ["Sem", "Jansen"]) == [
        "Sem",
        "EMM-2026-0007",
        "123456782",
        "1-2-2013",
    ]
