"""`make demo`: links in e-mail use the demo's own port, and e-mail goes to files, not the terminal."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.test_settings import ROOT, run_python

SEND_ONE_EMAIL = """
import django
from django.conf import settings
from django.core.mail import send_mail
django.setup()
send_mail("Your quote", f"Open {settings.SITE_URL}/rfqs/1/", None, ["buyer@example.com"])
print(settings.EMAIL_BACKEND)
"""


def test_cross_border_the_demo_settings_without_email_configuration_write_each_email_to_a_file(tmp_path: Path) -> None:
    result = run_python(
        ["-c", SEND_ONE_EMAIL],
        DEBUG="true",
        SECRET_KEY="x",
        SITE_URL="http://127.0.0.1:8001",
        EMAIL_FILE_PATH=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert "Your quote" not in result.stdout, "nothing of the e-mail is printed"
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    assert "Open http://127.0.0.1:8001/rfqs/1/" in files[0].read_text()


def test_cross_border_make_demo_on_another_port_links_to_that_port_in_every_step() -> None:
    plan = subprocess.run(
        ["make", "--dry-run", "--always-make", "demo", "DEMO_PORT=8001"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    steps = [line for line in plan.splitlines() if "manage.py" in line]

    assert [step.split("manage.py ")[1].split()[0] for step in steps] == ["migrate", "seed_demo", "runserver"]
    assert all("SITE_URL=http://127.0.0.1:8001" in step for step in steps)
    assert steps[-1].endswith("runserver 127.0.0.1:8001")
