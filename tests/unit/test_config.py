"""Settings come from DIRECTORY_* variables, with everything runtime under the instance path."""

from __future__ import annotations

from pathlib import Path

from directory import create_app
from directory.config import SETTINGS, describe_settings, load_config


def test_defaults_put_all_runtime_state_in_the_instance_folder(tmp_path, monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(f"DIRECTORY_{name}", raising=False)
    monkeypatch.setenv("DIRECTORY_INSTANCE_PATH", str(tmp_path / "inst"))
    config = load_config()
    inst = tmp_path / "inst"
    assert config["INSTANCE_PATH"] == str(inst)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{inst / 'directory.sqlite3'}"
    assert config["INDEX_PATH"] == str(inst / "index")
    assert config["GEOCODER"] == "offline"


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("DIRECTORY_SECRET_KEY", raising=False)
    first = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    second = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert first == second
    assert len(first) == 64
    assert (Path(tmp_path) / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", "postgresql+psycopg://u@db/x")
    monkeypatch.setenv("DIRECTORY_SECRET_KEY", "from-env")
    monkeypatch.setenv("DIRECTORY_GEOCODER", "nominatim")
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"
    assert config["SECRET_KEY"] == "from-env"
    assert config["GEOCODER"] == "nominatim"


def test_two_instances_side_by_side_do_not_share_state(tmp_path, monkeypatch):
    monkeypatch.delenv("DIRECTORY_DATABASE_URL", raising=False)
    one = create_app({"INSTANCE_PATH": str(tmp_path / "one")})
    two = create_app({"INSTANCE_PATH": str(tmp_path / "two")})
    assert one.config["SQLALCHEMY_DATABASE_URI"] != two.config["SQLALCHEMY_DATABASE_URI"]
    assert one.instance_path != two.instance_path


def test_every_setting_is_documented_in_the_readme():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for variable, _meaning in describe_settings():
        assert variable in readme, f"{variable} is missing from README.md"


def test_secret_key_file_is_never_readable_by_others(tmp_path, monkeypatch):
    monkeypatch.delenv("DIRECTORY_SECRET_KEY", raising=False)
    monkeypatch.setattr("os.umask", lambda *_: 0)  # even a permissive umask
    load_config({"INSTANCE_PATH": str(tmp_path)})
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_trusted_hosts_come_from_a_comma_separated_list(tmp_path, monkeypatch):
    monkeypatch.setenv("DIRECTORY_TRUSTED_HOSTS", "groups.example.org, www.groups.example.org")
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["TRUSTED_HOSTS"] == ["groups.example.org", "www.groups.example.org"]
