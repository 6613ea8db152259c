"""`mauson users`, `tokens`, `orgs`, `db upgrade`, `demo load`: invoke, then check the effect."""

from __future__ import annotations

from sqlalchemy import select

from mauson.db import Database
from mauson.identity import service
from mauson.identity.models import ApiToken, Role, User
from mauson.settings import Settings
from tests.conftest import Invoke
from tests.factories import PASSWORD, make_user


def test_db_upgrade_creates_the_first_admin_once_and_prints_the_password(cli: Invoke, database: Database) -> None:
    first = cli("db", "upgrade")
    assert first.exit_code == 0, first.output
    assert "tên đăng nhập: admin" in first.output
    password = first.output.split("mật khẩu:")[1].split()[0]
    with database.unit_of_work() as session:
        outcome = service.login(
            session=session, username="admin", password=password, ip=None, max_failures=5, lockout_minutes=1
        )
        assert outcome.user is not None and outcome.user.must_change_password
    again = cli("db", "upgrade")
    assert again.exit_code == 0 and "admin" not in again.output


def test_users_create_then_list(cli: Invoke, database: Database) -> None:
    result = cli("users", "create", "vi.thi.lan", "--full-name", "Vi Thị Lan", "--org", "SYT", "--role", "officer")
    assert result.exit_code == 0, result.output
    assert "Mật khẩu một lần" in result.output
    with database.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == "vi.thi.lan"))
        assert user is not None and user.role == Role.OFFICER and user.organisation.code == "SYT"
    assert "vi.thi.lan" in cli("users", "list").output


def test_users_unlock_lets_a_locked_out_user_log_in_again(cli: Invoke, database: Database) -> None:
    make_user(database, username="bi.khoa")
    for _ in range(5):
        _log_in(database, "bi.khoa", "sai-mat-khau")
    assert _log_in(database, "bi.khoa", PASSWORD).error is not None
    assert "tạm khóa" in cli("users", "list").output
    result = cli("users", "unlock", "bi.khoa")
    assert result.exit_code == 0 and "Đã mở khóa đăng nhập cho bi.khoa" in result.output
    assert _log_in(database, "bi.khoa", PASSWORD).user is not None


def test_users_reset_password_prints_a_one_time_password_to_change_at_next_login(
    cli: Invoke, database: Database
) -> None:
    make_user(database, username="quen.mat.khau")
    result = cli("users", "reset-password", "quen.mat.khau")
    assert result.exit_code == 0, result.output
    one_time = result.output.split("(chỉ hiện lần này): ")[1].split()[0]
    assert _log_in(database, "quen.mat.khau", PASSWORD).user is None
    outcome = _log_in(database, "quen.mat.khau", one_time)
    assert outcome.user is not None and outcome.user.must_change_password
    unknown = cli("users", "reset-password", "khong.co.ai")
    assert unknown.exit_code == 1 and "mauson users list" in unknown.stderr


def _log_in(database: Database, username: str, password: str) -> service.LoginOutcome:
    with database.unit_of_work() as session:
        return service.login(
            session=session, username=username, password=password, ip=None, max_failures=5, lockout_minutes=15
        )


def test_an_unknown_organisation_is_one_line_on_stderr_and_exit_1(cli: Invoke) -> None:
    result = cli("users", "create", "ai.do", "--full-name", "Ai Đó", "--org", "KHONGCO")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Lỗi: Không có cơ quan mã 'KHONGCO'. Xem danh sách tại /organisations."
    ]


def test_tokens_create_and_revoke(cli: Invoke, database: Database) -> None:
    cli("users", "create", "may.tram", "--full-name", "Máy trạm", "--org", "STC")
    created = cli("tokens", "create", "--user", "may.tram", "--name", "đồng bộ", "--scope", "read", "--days", "7")
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    with database.unit_of_work() as session:
        assert service.actor_from_api_token(session=session, secret=secret, ip=None).username == "may.tram"
        token_id = session.scalar(select(ApiToken.id))
    assert cli("tokens", "revoke", str(token_id)).exit_code == 0
    again = cli("tokens", "revoke", str(token_id))
    assert again.exit_code == 1 and "đã bị thu hồi" in again.stderr


def test_orgs_list_shows_codes_and_names(cli: Invoke) -> None:
    output = cli("orgs", "list").output
    assert "SNNMT" in output and "Sở Nông nghiệp và Môi trường" in output
    assert len(output.strip().splitlines()) == 81


def test_demo_load_creates_accounts_for_each_role_once(cli: Invoke, database: Database) -> None:
    first = cli("demo", "load")
    assert first.exit_code == 0 and first.output.count("Tài khoản mẫu") == 6
    assert cli("demo", "load").output.strip() == "Dữ liệu mẫu đã có sẵn."
    with database.unit_of_work() as session:
        roles = set(session.scalars(select(User.role)))
        assert roles == {"agency_admin", "officer", "editor", "viewer"}


def test_config_show_hides_secrets(cli: Invoke, settings: Settings) -> None:
    output = cli("config", "show").output
    assert '"secret_key": "********"' in output
    assert "test-secret-key" not in output and str(settings.data_dir) in output
