"""A throw-away Thunderbird profile: one account sending to a loopback SMTP port, quiet start, side-loaded XPIs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

SENDER_NAME = "Ann Sender"
SENDER_EMAIL = "ann@shop.example"
SENDER = f"{SENDER_NAME} <{SENDER_EMAIL}>"
# A second identity of the same account, on a consumer mailbox domain: the therapist, tutor or
# landlord who works from gmail.com (identityId "id2").
THERAPIST_NAME = "Tess Therapy"
THERAPIST_EMAIL = "tess.therapy@gmail.com"
THERAPIST_IDENTITY = "id2"


def _pref(name: str, value) -> str:
    return f"user_pref({json.dumps(name)}, {json.dumps(value)});\n"


def make_profile(directory: Path, smtp_port: int, marionette_port: int,
                 xpis: dict[str, Path], extra_prefs: dict | None = None) -> Path:
    """Create ``directory`` as a fresh profile.

    ``xpis`` maps a gecko id to an XPI file; each is copied to ``extensions/<id>.xpi`` (side-loaded).
    """
    if directory.exists():
        shutil.rmtree(directory)
    (directory / "extensions").mkdir(parents=True)
    for gecko_id, xpi in xpis.items():
        shutil.copyfile(xpi, directory / "extensions" / f"{gecko_id}.xpi")

    prefs = {
        # Account: pop3 server (never checked) + Local Folders, identity sending through smtp1.
        "mail.accountmanager.accounts": "account1,account2",
        "mail.accountmanager.defaultaccount": "account1",
        "mail.accountmanager.localfoldersserver": "server2",
        "mail.account.account1.server": "server1",
        "mail.account.account1.identities": "id1,id2",
        "mail.account.account2.server": "server2",
        "mail.server.server1.type": "pop3",
        "mail.server.server1.hostname": "127.0.0.1",
        "mail.server.server1.port": 1,
        "mail.server.server1.userName": "ann",
        "mail.server.server1.name": "CcGuard e2e",
        "mail.server.server1.login_at_startup": False,
        "mail.server.server1.check_new_mail": False,
        "mail.server.server1.download_on_biff": False,
        "mail.server.server2.type": "none",
        "mail.server.server2.hostname": "Local Folders",
        "mail.server.server2.userName": "nobody",
        "mail.server.server2.name": "Local Folders",
        "mail.identity.id1.useremail": SENDER_EMAIL,
        "mail.identity.id1.fullName": SENDER_NAME,
        "mail.identity.id1.smtpServer": "smtp1",
        "mail.identity.id1.valid": True,
        "mail.identity.id1.fcc": False,
        "mail.identity.id1.compose_html": False,
        "mail.identity.id1.attach_vcard": False,
        "mail.identity.id2.useremail": THERAPIST_EMAIL,
        "mail.identity.id2.fullName": THERAPIST_NAME,
        "mail.identity.id2.smtpServer": "smtp1",
        "mail.identity.id2.valid": True,
        "mail.identity.id2.fcc": False,
        "mail.identity.id2.compose_html": False,
        "mail.identity.id2.attach_vcard": False,
        "mail.smtpservers": "smtp1",
        "mail.smtp.defaultserver": "smtp1",
        "mail.smtpserver.smtp1.hostname": "127.0.0.1",
        "mail.smtpserver.smtp1.port": smtp_port,
        "mail.smtpserver.smtp1.authMethod": 1,
        "mail.smtpserver.smtp1.try_ssl": 0,
        "mail.smtpserver.smtp1.description": "e2e sink",
        # Quiet start.
        "mail.provider.enabled": False,
        "mailnews.start_page.enabled": False,
        "mail.shell.checkDefaultClient": False,
        "mail.rights.version": 1,
        "mail.spotlight.firstRunDone": True,
        "mail.winsearch.firstRunDone": True,
        "datareporting.policy.dataSubmissionEnabled": False,
        "datareporting.healthreport.uploadEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "app.update.disabledForTesting": True,
        "app.update.auto": False,
        "browser.shell.checkDefaultBrowser": False,
        "extensions.update.enabled": False,
        "extensions.getAddons.cache.enabled": False,
        "mail.biff.play_sound": False,
        "mail.biff.show_alert": False,
        "mail.compose.autosave": False,
        "mail.compose.warn_public_recipients.threshold": 100000,
        "mail.warn_on_send_accel_key": False,
        "mailnews.sendInBackground": False,
        "mail.compose.attachment_reminder": False,
        "network.captive-portal-service.enabled": False,
        "network.connectivity-service.enabled": False,
        "messenger.startup.action": 0,
        # Side-loaded, unsigned add-ons.
        "extensions.autoDisableScopes": 0,
        "extensions.enabledScopes": 15,
        "xpinstall.signatures.required": False,
        # Marionette.
        "marionette.port": marionette_port,
        # Browser console output of extensions goes to stderr (kept in the log on failure).
        "devtools.console.stdout.content": True,
        "devtools.console.stdout.chrome": True,
    }
    prefs.update(extra_prefs or {})
    with open(directory / "user.js", "w") as fh:
        for k, v in prefs.items():
            fh.write(_pref(k, v))
    return directory
