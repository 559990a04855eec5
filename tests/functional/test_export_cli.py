"""``directory export`` streams to a temporary file and links from DIRECTORY_BASE_URL."""

from __future__ import annotations

from tests.unit.interchange.listings import richer_listings


def test_export_links_come_from_the_configured_base_url(runner, app, tmp_path):
    listings = richer_listings()
    app.config["BASE_URL"] = "https://groups.example.org/"
    target = tmp_path / "groups.ics"
    result = runner.invoke(args=["directory", "export", "--format", "ics", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text().replace("\r\n ", "")
    assert f"URL:https://groups.example.org/groups/{listings[0].id}" in text
    given = runner.invoke(args=["directory", "export", "--format", "ics", "--base-url",
                                "https://other.example.org/"])  # fmt: skip
    assert "https://other.example.org/groups/" in given.stdout.replace("\r\n ", "")


def test_an_export_that_fails_midway_keeps_the_previous_file(runner, app, tmp_path, monkeypatch):
    from directory.interchange import commands

    richer_listings()
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "groups.csv"
    target.write_text("the old export")
    written = []

    def failing(fmt, groups, context):
        for number, _group in enumerate(groups):
            written.append(number)
            yield b"a row\n"
            if number == 1:
                raise OSError(28, "No space left on device")

    monkeypatch.setattr(commands, "stream_listings", failing)
    result = runner.invoke(args=["directory", "export", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert written == [0, 1]  # it was writing as it went, not after building everything
    assert target.read_text() == "the old export"
    assert [path.name for path in target.parent.iterdir()] == ["groups.csv"]
