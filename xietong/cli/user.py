"""``xietong user``: accounts of the web platform and the API (add, list, disable, import,
password, token). The command line acts as the local operator (``cli``), with the
administrator's rights: whoever runs it holds the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from xietong.cli.common import JsonOpt, command, console, platform, print_json

app = typer.Typer(help="Accounts and roles. 账户与角色。", no_args_is_help=True)

ROLE_HELP = "admin | reviewer | body | district | viewer"


def _row(a: object) -> dict[str, object]:
    from xietong.service.accounts import Account

    assert isinstance(a, Account)
    return {
        "username": a.username,
        "display_name": a.display_name,
        "role": a.role.value,
        "role_zh": a.role.zh,
        "body": a.body,
        "district": a.district,
        "disabled": a.disabled,
        "created_at": a.created_at.isoformat(),
        "created_by": a.created_by,
    }


@app.command("add")
@command
def add(
    username: Annotated[str, typer.Argument(help="Account name (lower case).")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)] = "viewer",
    body: Annotated[str | None, typer.Option(help="Body code (role body).")] = None,
    district: Annotated[str | None, typer.Option(help="District code (role district).")] = None,
    name: Annotated[str, typer.Option(help="Display name 姓名.")] = "",
    json_: JsonOpt = False,
) -> None:
    """Create an account; its password is generated and printed once. 新建账户。"""
    account, password = platform().add_user(
        username, role, actor="cli", body=body, district=district, display_name=name
    )
    if json_:
        print_json({**_row(account), "password": password})
        return
    where = account.body or account.district
    console.print(
        f"[green]已创建 Created[/] {account.username} ({account.role.zh} {account.role.en}"
        f"{', ' + where if where else ''})"
    )
    console.print(f"初始密码 password (shown once): [bold]{password}[/]", highlight=False)


@app.command("list")
@command
def list_(json_: JsonOpt = False) -> None:
    """Every account with its role, body or district. 账户列表。"""
    accounts = platform().users(actor="cli")
    if json_:
        print_json([_row(a) for a in accounts])
        return
    table = Table(
        "账户 account", "角色 role", "部门/区 body/district", "状态 state", "创建 created"
    )
    for a in accounts:
        table.add_row(
            a.username,
            f"{a.role.zh} {a.role.en}",
            a.body or a.district or "",
            "[red]停用 disabled[/]" if a.disabled else "[green]启用 active[/]",
            f"{a.created_at:%Y-%m-%d} {a.created_by}",
        )
    console.print(table)


@app.command("disable")
@command
def disable(
    username: str,
    enable: Annotated[bool, typer.Option("--enable", help="Enable it again.")] = False,
) -> None:
    """Disable an account: its sessions end and its API tokens are revoked. 停用账户。"""
    a = platform().disable_user(username, actor="cli", disabled=not enable)
    state = "停用 disabled" if a.disabled else "启用 enabled"
    console.print(f"{a.username}: {state}")


@app.command("import")
@command
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    json_: JsonOpt = False,
) -> None:
    """Create the accounts of a table (username 账户, role 角色, body 部门, district 区,
    display_name 姓名, password 密码), all or nothing; generated passwords printed once.
    批量导入账户。"""
    created = platform().import_users(file, actor="cli")
    if json_:
        print_json([{**_row(a), "password": pw} for a, pw in created])
        return
    table = Table("账户 account", "角色 role", "部门/区", "初始密码 password (shown once)")
    for a, pw in created:
        table.add_row(a.username, a.role.zh, a.body or a.district or "", pw or "(given)")
    console.print(table)


@app.command("password")
@command
def password(
    username: str,
    new: Annotated[
        str | None, typer.Option(help="The new password (default: generated and printed).")
    ] = None,
) -> None:
    """Set an account's password (its sessions end). 重设密码。"""
    import secrets

    value = new or secrets.token_urlsafe(12)
    platform().set_password(username, value, actor="cli")
    console.print(f"{username}: 新密码 new password: [bold]{value}[/]", highlight=False)


@app.command("token")
@command
def token(
    username: str,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    days: Annotated[int, typer.Option(help="Days it is valid (0: until revoked).")] = 365,
) -> None:
    """Issue an API bearer token (printed once). 签发 API 令牌。"""
    value = platform().issue_token(username, actor="cli", name=name, days=days or None)
    console.print(f"Authorization: Bearer {value}", highlight=False)
