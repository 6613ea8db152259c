"""Identity services, as the web pages, the API and the CLI use them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mauson.audit.models import AuditEntry
from mauson.db import LOCAL_TZ, Database, utcnow
from mauson.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from mauson.identity import service
from mauson.identity.models import ApiToken, Organisation, Role, Scope, TokenCreate, User, UserCreate
from tests.factories import PASSWORD, make_token, make_user


def test_the_seeded_tree_has_the_province_its_agencies_and_65_communes(database: Database) -> None:
    with database.unit_of_work() as session:
        orgs = service.list_organisations(session=session)
        summary = service.directory_summary(session=session)
        names = {o.name for o in orgs}
        assert orgs[0].name == "Ủy ban nhân dân tỉnh Lạng Sơn"
        assert {"Sở Nội vụ", "Sở Nông nghiệp và Môi trường", "Công an tỉnh", "Thanh tra tỉnh"} <= names
        assert "UBND phường Kỳ Lừa" in names
        assert summary.communes == 65
        assert sum(o.kind == "phuong" for o in orgs) == 4
        assert all(o.parent is not None for o in orgs[1:])


def test_seeding_again_changes_nothing(database: Database) -> None:
    with database.unit_of_work() as session:
        assert service.seed_organisations(session=session) == 0
        assert len(session.scalars(select(Organisation)).all()) == 81


def test_a_user_created_without_password_gets_a_one_time_password_that_must_be_changed(database: Database) -> None:
    data = UserCreate(username="lanh.snv", full_name="Lành", organisation_code="SNV", role=Role.OFFICER)
    with database.unit_of_work() as session:
        user, one_time = service.create_user(session=session, actor=service.SYSTEM, data=data)
        assert one_time and user.must_change_password
        assert one_time not in user.password_hash and user.password_hash.startswith("$argon2")
        outcome = service.login(
            session=session, username="lanh.snv", password=one_time, ip="127.0.0.1", max_failures=5, lockout_minutes=15
        )
        assert outcome.user is not None


def test_usernames_are_unique(database: Database) -> None:
    make_user(database, username="trung")
    with pytest.raises(Conflict), database.unit_of_work() as session:
        data = UserCreate(username="trung", full_name="Khác", organisation_code="STC", password=PASSWORD)
        service.create_user(session=session, actor=service.SYSTEM, data=data)


def test_an_unknown_organisation_is_named_in_the_error(database: Database) -> None:
    with pytest.raises(NotFound, match="XYZ"), database.unit_of_work() as session:
        data = UserCreate(username="ai.do", full_name="Ai đó", organisation_code="XYZ", password=PASSWORD)
        service.create_user(session=session, actor=service.SYSTEM, data=data)


def test_agency_admins_manage_only_their_own_organisation(database: Database) -> None:
    agency_admin = make_user(database, username="qtv.snv", role=Role.AGENCY_ADMIN, org="SNV")
    make_user(database, username="canbo.snv", org="SNV")
    make_user(database, username="canbo.stc", org="STC")
    actor = service.actor_for(agency_admin, ip=None, via="web")
    with database.unit_of_work() as session:
        assert {u.username for u in service.list_users(session=session, actor=actor)} == {"qtv.snv", "canbo.snv"}
    with pytest.raises(Forbidden), database.unit_of_work() as session:
        data = UserCreate(username="moi.stc", full_name="Mới", organisation_code="STC", password=PASSWORD)
        service.create_user(session=session, actor=actor, data=data)
    with pytest.raises(Forbidden), database.unit_of_work() as session:
        data = UserCreate(
            username="sieu", full_name="Siêu", organisation_code="SNV", role=Role.ADMIN, password=PASSWORD
        )
        service.create_user(session=session, actor=actor, data=data)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(database: Database) -> None:
    make_user(database, username="hoa")
    for _ in range(5):
        with database.unit_of_work() as session:
            outcome = service.login(
                session=session, username="hoa", password="sai", ip="10.0.0.1", max_failures=5, lockout_minutes=15
            )
            assert outcome.error is not None and outcome.error.code == "auth.invalid_credentials"
    with database.unit_of_work() as session:
        outcome = service.login(
            session=session, username="hoa", password=PASSWORD, ip="10.0.0.1", max_failures=5, lockout_minutes=15
        )
    assert outcome.user is None and outcome.error is not None
    assert outcome.error.code == "auth.locked" and "thử lại sau" in outcome.error.message
    assert 0 < outcome.error.retry_after <= 15 * 60  # type: ignore[attr-defined]


def test_the_lockout_message_gives_the_time_on_a_vietnamese_clock(database: Database) -> None:
    """A server running in UTC once told a user at 14:39 to come back "after 07:49"."""
    _lock_out(database, "khoa.gio")
    with database.unit_of_work() as session:
        outcome = service.login(
            session=session, username="khoa.gio", password=PASSWORD, ip=None, max_failures=5, lockout_minutes=15
        )
        user = session.scalars(select(User).where(User.username == "khoa.gio")).one()
        assert user.locked_until is not None
        until = user.locked_until.astimezone(LOCAL_TZ)
    assert outcome.error is not None and f"thử lại sau {until:%H:%M} " in outcome.error.message


def test_an_admin_unlocks_a_locked_account_and_the_right_password_works_at_once(database: Database) -> None:
    locked = _lock_out(database, "mo.khoa")
    with database.unit_of_work() as session:
        user = service.unlock_user(session=session, actor=service.SYSTEM, user_id=locked.id)
        assert (user.locked_until, user.failed_logins) == (None, 0)
        outcome = service.login(
            session=session, username="mo.khoa", password=PASSWORD, ip=None, max_failures=5, lockout_minutes=15
        )
        assert outcome.user is not None
        assert _last_audit(session, "user.unlock").target_id == str(locked.id)


def test_a_password_reset_gives_a_one_time_password_that_must_be_changed(database: Database) -> None:
    forgetful = _lock_out(database, "quen.mk")
    with database.unit_of_work() as session:
        user, one_time = service.reset_password(session=session, actor=service.SYSTEM, user_id=forgetful.id)
        assert user.must_change_password and user.locked_until is None
        assert one_time.count("-") == 3 and one_time not in user.password_hash
        old = service.login(
            session=session, username="quen.mk", password=PASSWORD, ip=None, max_failures=5, lockout_minutes=15
        )
        assert old.user is None
        new = service.login(
            session=session, username="quen.mk", password=one_time, ip=None, max_failures=5, lockout_minutes=15
        )
        assert new.user is not None and new.user.must_change_password
        assert _last_audit(session, "user.reset_password").target_id == str(forgetful.id)


def test_a_password_reset_ends_the_users_open_sessions(database: Database) -> None:
    user = make_user(database, username="phien.cu")
    with database.unit_of_work() as session:
        cookie = service.start_web_session(session=session, user=user, ip=None, user_agent=None, hours=8)
        service.reset_password(session=session, actor=service.SYSTEM, user_id=user.id)
        assert service.actor_from_web_session(session=session, token=cookie, ip=None) is None


def test_only_the_users_managers_may_unlock_or_reset_them(database: Database) -> None:
    agency_admin = make_user(database, username="qtv.snv", role=Role.AGENCY_ADMIN, org="SNV")
    other = make_user(database, username="canbo.stc", org="STC")
    viewer = make_user(database, username="nguoi.xem", org="SNV")
    actors = [service.actor_for(agency_admin, ip=None, via="web"), service.actor_for(viewer, ip=None, via="web")]
    for actor in actors:
        with pytest.raises(NotFound), database.unit_of_work() as session:
            service.unlock_user(session=session, actor=actor, user_id=other.id)
        with pytest.raises(NotFound), database.unit_of_work() as session:
            service.reset_password(session=session, actor=actor, user_id=other.id)
    with pytest.raises(Forbidden), database.unit_of_work() as session:
        service.reset_password(session=session, actor=actors[1], user_id=viewer.id)


def test_nobody_resets_their_own_password_without_knowing_it(database: Database) -> None:
    admin = make_user(database, username="qt.tu.dat", role=Role.ADMIN)
    with pytest.raises(Invalid, match="Đổi mật khẩu"), database.unit_of_work() as session:
        service.reset_password(session=session, actor=service.actor_for(admin, ip=None, via="web"), user_id=admin.id)


def _lock_out(database: Database, username: str) -> User:
    """A user who typed a wrong password five times."""
    user = make_user(database, username=username)
    for _ in range(5):
        with database.unit_of_work() as session:
            service.login(
                session=session, username=username, password="sai", ip=None, max_failures=5, lockout_minutes=15
            )
    return user


def _last_audit(session: Session, action: str) -> AuditEntry:
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    ).first()
    assert entry is not None, f"no {action} in the audit log"
    return entry


def test_changing_password_checks_the_current_one_and_clears_the_one_time_flag(database: Database) -> None:
    user = make_user(database, username="minh")
    actor = service.actor_for(user, ip=None, via="web")
    with pytest.raises(Invalid, match="hiện tại"), database.unit_of_work() as session:
        service.change_password(session=session, actor=actor, current="sai-mat-khau", new="mot-mat-khau-moi")
    with pytest.raises(Invalid, match="10 ký tự"), database.unit_of_work() as session:
        service.change_password(session=session, actor=actor, current=PASSWORD, new="ngan")
    with database.unit_of_work() as session:
        service.change_password(session=session, actor=actor, current=PASSWORD, new="mot-mat-khau-moi")
        outcome = service.login(
            session=session, username="minh", password="mot-mat-khau-moi", ip=None, max_failures=5, lockout_minutes=1
        )
        assert outcome.user is not None and not outcome.user.must_change_password


def test_a_token_is_stored_hashed_and_stops_working_when_revoked(database: Database) -> None:
    user = make_user(database, username="may.chu")
    secret = make_token(database, user, scopes=(Scope.READ,))
    with database.unit_of_work() as session:
        stored = session.scalars(select(ApiToken)).one()
        assert secret not in (stored.token_hash, stored.prefix) and secret.startswith(f"mst_{stored.prefix}_")
        actor = service.actor_from_api_token(session=session, secret=secret, ip=None)
        assert actor.username == "may.chu" and actor.scopes == {"read"}
        service.revoke_token(session=session, actor=service.SYSTEM, token_id=stored.id)
    with pytest.raises(Unauthorized, match="thu hồi"), database.unit_of_work() as session:
        service.actor_from_api_token(session=session, secret=secret, ip=None)


def test_an_expired_token_is_refused(database: Database) -> None:
    user = make_user(database, username="het.han")
    secret = make_token(database, user)
    with database.unit_of_work() as session:
        for token in session.scalars(select(ApiToken)):
            token.expires_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(Unauthorized, match="hết hạn"), database.unit_of_work() as session:
        service.actor_from_api_token(session=session, secret=secret, ip=None)


def test_users_see_only_their_own_tokens(database: Database) -> None:
    alice, bob = make_user(database, username="alice"), make_user(database, username="bob")
    make_token(database, alice)
    make_token(database, bob)
    with database.unit_of_work() as session:
        mine = service.list_tokens(session=session, actor=service.actor_for(alice, ip=None, via="api"))
        assert [t.user_id for t in mine] == [alice.id]
        bob_token = session.scalar(select(ApiToken.id).where(ApiToken.user_id == bob.id))
        assert bob_token is not None
    with pytest.raises(NotFound), database.unit_of_work() as session:
        service.revoke_token(session=session, actor=service.actor_for(alice, ip=None, via="api"), token_id=bob_token)
    with pytest.raises(NotFound), database.unit_of_work() as session:
        data = TokenCreate(name="for bob", user_id=bob.id)
        service.create_token(session=session, actor=service.actor_for(alice, ip=None, via="api"), data=data)
