"""Judgement in context, in a real Thunderbird: who would NEWLY see whom. Replies read the header
of the message they answer (messages.get), groups the user confirmed are remembered, and what an
address is used for (its role) changes how strict CcGuard is.

Runs in its own Thunderbird with the mail helper (harness/mail_ext/), which imports "received"
messages into Local Folders and opens Reply All to them as the button does.
"""
import json

import pytest

from conftest import docs_screenshot, make_steps, stored_policy
from harness.mailbox import Mailbox
from harness.profile import SENDER, SENDER_EMAIL, THERAPIST_EMAIL, THERAPIST_IDENTITY
from harness.scenario import bare, customers, poll, unique_subject

OUTSIDE_AUTHOR = "Paula Parent <paula.parent@gmail.com>"


@pytest.fixture(scope="module")
def context_tb(thunderbird_factory):
    tb = thunderbird_factory.start("context", mail=True)
    yield tb
    thunderbird_factory.stop(tb)


@pytest.fixture
def csteps(context_tb, request):
    yield from make_steps(context_tb, request)


@pytest.fixture
def mailbox(context_tb):
    return Mailbox(context_tb.mail)


@pytest.fixture
def cpolicy(context_tb, csteps):
    """CcGuard's stored policy on this instance; defaults and no groups afterwards."""
    yield from stored_policy(context_tb, forget_groups=True)


def parents(n: int, prefix: str) -> list[str]:
    return customers(n, prefix=prefix)


def offered_choices(warning) -> list[str]:
    """The choices the warning offers, of those that send or remember."""
    return warning.eval("""return ['move-to-bcc', 'move-external-to-bcc', 'remember-group', 'send-anyway']
        .filter((id) => { const b = document.getElementById(id); return b && !b.hidden && !b.disabled; });""")


def reply_all_adding(steps, mailbox, message_id: int, added: str) -> int:
    """Opens Reply All to a received message and adds ``added`` to its Cc; returns the tab."""
    tab = mailbox.reply_all(message_id, steps.driver)
    cc = steps.details(tab)["cc"]
    steps.driver.call("setComposeDetails", tabId=tab, details={"cc": [*cc, added]})
    return tab


def first_listed(warning) -> dict:
    """The first recipient the warning lists, and whether it marks them as known."""
    return warning.eval("""const li = document.querySelector('#recipients li');
        return {text: li.textContent, known: li.dataset.known || null};""")


def no_window_since(steps, before: int) -> None:
    assert steps.popup_windows_created()[before:] == [], "CcGuard opened a window"


def test_reply_all_in_a_thread_started_outside_stays_quiet(csteps, mailbox):
    steps = csteps
    subject = unique_subject("thread-outside")
    others = parents(8, "ctx-out")
    header = mailbox.receive(author=OUTSIDE_AUTHOR, to=[SENDER], cc=others, subject=subject)
    tab = mailbox.reply_all(header["id"], steps.driver)
    before = len(steps.popup_windows_created())
    msg = steps.expect_sent(steps.send(tab), f"Re: {subject}")
    no_window_since(steps, before)
    # Everyone of the thread got the reply with everyone visible, as written.
    assert bare(msg.addresses("To") + msg.addresses("Cc")) == bare([OUTSIDE_AUTHOR, *others])


def test_a_private_individual_added_to_that_thread_warns_and_is_named(csteps, mailbox):
    steps = csteps
    subject = unique_subject("thread-newcomer")
    others = parents(8, "ctx-new")
    newcomer = "Nina Newcomer <nina.newcomer@yahoo.com>"
    header = mailbox.receive(author=OUTSIDE_AUTHOR, to=[SENDER], cc=others, subject=subject)
    pending = steps.send(reply_all_adding(steps, mailbox, header["id"], newcomer))
    warning = steps.wait_warning()
    headline = warning.text("#headline")
    # "1 person you added would see the addresses of 9 people already in this conversation".
    assert "1" in headline and "9" in headline, headline
    first = first_listed(warning)
    assert "nina.newcomer@yahoo.com" in first["text"], first
    assert first["known"] == "false", first
    docs_screenshot("warning-newcomer", steps.tb.screenshot(warning.bcid))
    warning.click("back-to-edit")
    steps.expect_rejected(pending)
    steps.sink.assert_nothing(wait=1.0, subject=f"Re: {subject}")


def test_a_second_customer_copied_into_a_customers_thread_warns_and_their_own_colleague_does_not(
        csteps, mailbox):
    steps = csteps
    customer = "Ana Baker <ana@bakery.example>"
    colleague_of_theirs = "Ben Baker <ben@bakery.example>"
    subject = unique_subject("thread-stranger")
    header = mailbox.receive(author=customer, to=[SENDER], cc=[colleague_of_theirs], subject=subject)

    # Their own colleague: no stranger, no window.
    tab = reply_all_adding(steps, mailbox, header["id"], "Cara Baker <cara@bakery.example>")
    before = len(steps.popup_windows_created())
    steps.expect_sent(steps.send(tab), f"Re: {subject}")
    no_window_since(steps, before)

    # Another customer, from another company: named as added, nothing sent.
    second = "Cem Florist <cem@florist.example>"
    pending = steps.send(reply_all_adding(steps, mailbox, header["id"], second))
    warning = steps.wait_warning()
    headline = warning.text("#headline")
    # "1 person you added would see the addresses of 2 people already in this conversation".
    assert "1" in headline and "2" in headline and "added" in headline, headline
    first = first_listed(warning)
    assert "cem@florist.example" in first["text"] and first["known"] == "false", first
    warning.click("back-to-edit")
    steps.expect_rejected(pending)


def test_reply_all_to_a_colleagues_leak_warns(csteps, mailbox):
    steps = csteps
    subject = unique_subject("thread-inside")
    leaked = parents(10, "ctx-leak")
    colleague = "Carl Colleague <carl@shop.example>"
    header = mailbox.receive(author=colleague, to=[SENDER], cc=leaked, subject=subject)
    tab = mailbox.reply_all(header["id"], steps.driver)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    # The colleague's earlier message excuses nothing: the ten customers would see each other.
    assert "10" in warning.text("#headline"), warning.text("#headline")
    warning.click("move-to-bcc")
    msg = steps.expect_sent(pending, f"Re: {subject}")
    assert not bare(msg.addresses("Cc")) & bare(leaked)
    assert bare(leaked) <= set(msg.envelope)


@pytest.mark.parametrize("how", ["forwardInline", "forwardAsAttachment"])
def test_a_forward_showing_twelve_customers_to_an_outsider_warns_and_offers_no_bcc(csteps, mailbox, how):
    steps = csteps
    subject = unique_subject(f"forward-{how}")
    leaked = parents(12, f"ctx-fwd-{how[7:11].lower()}")
    colleague = "Carl Colleague <carl@shop.example>"
    agency = "Buzz Agency <team@buzz-agency.example>"
    header = mailbox.receive(author=colleague, to=leaked, subject=subject)
    tab = mailbox.forward(header["id"], steps.driver, [agency], how)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    headline, reason, note = (warning.text(f"#{i}") for i in ("headline", "reason", "context-note"))
    # The colleague's 12 customers and the colleague are in the forwarded header, Bcc would not hide
    # them, and the way out is deleting the header.
    assert "13" in headline and "forwarded" in headline, headline
    assert "would not hide" in reason and "delete the forwarded header" in note, (reason, note)
    if how == "forwardInline":
        docs_screenshot("warning-forward", steps.tb.screenshot(warning.bcid))
    # Bcc would still carry the header; the user may know that these people know each other.
    assert offered_choices(warning) == ["remember-group", "send-anyway"]
    warning.click("send-anyway")
    msg = steps.expect_sent(pending, f"Fwd: {subject}")
    # What CcGuard warned of is real: the sent message carries every customer's address.
    raw = msg.data.decode("utf-8", "replace").lower()
    missing = [a for a in bare(leaked) if a not in raw]
    assert not missing, f"{how}: the sent message lacks {missing}"


def test_a_sensitive_address_forwarding_a_private_persons_mail_to_another_firm_warns(csteps, mailbox, cpolicy):
    """A mother wrote from her private address; the case worker forwards it to the father's lawyer,
    handing him her address. From an ordinary work address that forward is daily work and goes out;
    from one marked sensitive the two count as introduced, and it warns (Bcc would not hide it)."""
    steps = csteps
    mother = "Nadine Neu <nadine.neu@posteo.de>"
    lawyer = "Kanzlei Becker <kanzlei@becker-law.example>"
    subject = unique_subject("fwd-to-firm")
    header = mailbox.receive(author=mother, to=[SENDER], subject=subject)
    before = len(steps.popup_windows_created())
    steps.expect_sent(steps.send(mailbox.forward(header["id"], steps.driver, [lawyer])), f"Fwd: {subject}")
    no_window_since(steps, before)

    cpolicy.set({"identities": {SENDER_EMAIL: {"role": "sensitive"}}})
    pending = steps.send(mailbox.forward(header["id"], steps.driver, [lawyer]))
    warning = steps.wait_warning()
    headline = warning.text("#headline")
    assert "1" in headline and "forwarded" in headline, headline
    assert offered_choices(warning) == ["remember-group", "send-anyway"]
    warning.click("back-to-edit")
    steps.expect_rejected(pending)


def test_they_know_each_other_on_a_forward_then_the_next_forward_among_them_goes_out_without_a_window(
        csteps, mailbox, cpolicy):
    steps = csteps
    club = parents(5, "ctx-fwd-known")
    newcomer = "Nina Neu <nina.neu@web.de>"
    first = unique_subject("forward-known")
    header = mailbox.receive(author=OUTSIDE_AUTHOR, to=[SENDER], cc=club, subject=first)
    pending = steps.send(mailbox.forward(header["id"], steps.driver, [newcomer]))
    warning = steps.wait_warning()
    # Paula and five parents in the header, shown to Nina: she is new to them all.
    assert "6" in warning.text("#headline"), warning.text("#headline")
    assert offered_choices(warning) == ["remember-group", "send-anyway"]
    warning.click("remember-group")
    steps.expect_sent(pending, f"Fwd: {first}")

    # The next mail among the same people, forwarded to Nina: nobody new, no window.
    second = unique_subject("forward-known-again")
    header = mailbox.receive(author=OUTSIDE_AUTHOR, to=[SENDER], cc=club[:3], subject=second)
    before = len(steps.popup_windows_created())
    steps.expect_sent(steps.send(mailbox.forward(header["id"], steps.driver, [newcomer])), f"Fwd: {second}")
    no_window_since(steps, before)


def test_forwarding_a_customers_mail_to_a_colleague_goes_out_without_a_window(csteps, mailbox):
    steps = csteps
    subject = unique_subject("forward-colleague")
    header = mailbox.receive(author=OUTSIDE_AUTHOR, to=[SENDER], cc=parents(5, "ctx-fwd-col"), subject=subject)
    tab = mailbox.forward(header["id"], steps.driver, ["Dana Desk <dana@shop.example>"])
    before = len(steps.popup_windows_created())
    steps.expect_sent(steps.send(tab), f"Fwd: {subject}")
    no_window_since(steps, before)


def test_they_know_each_other_then_the_same_group_goes_out_without_a_window(csteps, cpolicy):
    steps = csteps
    group = parents(6, "ctx-group")
    subject = unique_subject("remember")
    tab = steps.compose(to=[SENDER], cc=group, subject=subject)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    warning.click("remember-group")
    msg = steps.expect_sent(pending, subject)
    assert bare(msg.addresses("Cc")) == bare(group)

    # The same group, and then a part of it: no window.
    for cc in (group, group[:4]):
        again = unique_subject("remembered")
        before = len(steps.popup_windows_created())
        steps.expect_sent(steps.send(steps.compose(to=[SENDER], cc=cc, subject=again)), again)
        no_window_since(steps, before)

    # The group plus a stranger: warns again.
    stranger = unique_subject("stranger")
    pending = steps.send(steps.compose(to=[SENDER], cc=[*group, "stan.stranger@outlook.com"], subject=stranger))
    warning = steps.wait_warning()
    warning.click("back-to-edit")
    steps.expect_rejected(pending)


def test_a_group_forgotten_on_the_options_page_warns_again(csteps, cpolicy):
    """Forget on the options page: the page hands the write to CcGuard's background (writes.js),
    which learns groups from arriving mail in the same queue. The group is gone from the list and
    the store, and the same send is held again."""
    steps = csteps
    group = parents(5, "ctx-forget")
    subject = unique_subject("remember-then-forget")
    pending = steps.send(steps.compose(to=[SENDER], cc=group, subject=subject))
    steps.wait_warning().click("remember-group")
    steps.expect_sent(pending, subject)
    ids = [g["id"] for g in cpolicy.groups() if any("ctx-forget" in m for m in g["members"])]
    assert len(ids) == 1, f"one group should be remembered: {cpolicy.groups()}"

    page = cpolicy.page
    page.reload()
    item = f"#groups-list li[data-id={json.dumps(ids[0])}]"
    poll(lambda: page.eval(f"return Boolean(document.querySelector({json.dumps(item)}));"), 10,
         what="the options page to list the remembered group")
    page.eval(f"document.querySelector({json.dumps(item + ' button.forget')}).click(); return true;")
    poll(lambda: page.eval(f"return !document.querySelector({json.dumps(item)});"), 10,
         what="the forgotten group to leave the list")
    assert [g for g in cpolicy.groups() if g["id"] == ids[0]] == [], "the group is still stored"

    again = unique_subject("forgotten")
    pending = steps.send(steps.compose(to=[SENDER], cc=group, subject=again))
    steps.wait_warning().click("back-to-edit")
    steps.expect_rejected(pending)


def test_a_sensitive_identity_on_a_consumer_domain_warns_for_three_clients(csteps, cpolicy):
    steps = csteps
    clients = ["c.one@gmail.com", "c.two@web.de", "c.three@yahoo.com"]
    # Answered "personal", a gmail.com address is someone's private life: three friends are not a breach.
    cpolicy.set({"identities": {THERAPIST_EMAIL: {"role": "personal"}}})
    subject = unique_subject("personal-three")
    before = len(steps.popup_windows_created())
    tab = steps.compose(to=[THERAPIST_EMAIL], cc=clients, subject=subject, identity=THERAPIST_IDENTITY)
    steps.expect_sent(steps.send(tab), subject)
    no_window_since(steps, before)

    cpolicy.set({"identities": {THERAPIST_EMAIL: {"role": "sensitive"}}})
    subject = unique_subject("sensitive-three")
    tab = steps.compose(to=[THERAPIST_EMAIL], cc=clients, subject=subject, identity=THERAPIST_IDENTITY)
    pending = steps.send(tab)
    warning = steps.wait_warning()
    assert "3" in warning.text("#headline"), warning.text("#headline")
    warning.click("move-to-bcc")
    msg = steps.expect_sent(pending, subject)
    assert msg.addresses("Cc") == []
    assert bare(clients) <= set(msg.envelope)


def test_an_unanswered_consumer_address_is_asked_once_and_the_answer_decides(csteps, cpolicy):
    """Nobody said what the gmail.com identity is for: three clients shown to each other are held
    to ask it. "Private life" sends as written and is saved (no question next time); "Sensitive
    work", asked afresh, turns the same window into the warning."""
    steps = csteps
    clients = ["q.one@gmail.com", "q.two@web.de", "q.three@yahoo.com"]
    subject = unique_subject("asked-personal")
    tab = steps.compose(to=[THERAPIST_EMAIL], cc=clients, subject=subject, identity=THERAPIST_IDENTITY)
    pending = steps.send(tab)
    question = steps.wait_warning(mode="question")
    assert THERAPIST_EMAIL in question.text("#headline"), question.text("#headline")
    assert "3" in question.text("#rules"), question.text("#rules")
    shown = question.eval("return [...document.querySelectorAll('footer button')].filter(b => !b.hidden).map(b => b.id);")
    assert shown == ["back-to-edit"], shown
    docs_screenshot("warning-question", steps.tb.screenshot(question.bcid))
    question.answer_role("personal")
    msg = steps.expect_sent(pending, subject)
    assert bare(msg.addresses("Cc")) == bare(clients)
    question.wait_closed()
    assert cpolicy.get()["identities"][THERAPIST_EMAIL]["role"] == "personal"

    again = unique_subject("asked-again")
    before = len(steps.popup_windows_created())
    tab = steps.compose(to=[THERAPIST_EMAIL], cc=clients, subject=again, identity=THERAPIST_IDENTITY)
    steps.expect_sent(steps.send(tab), again)
    no_window_since(steps, before)

    cpolicy.set({})
    subject = unique_subject("asked-sensitive")
    tab = steps.compose(to=[THERAPIST_EMAIL], cc=clients, subject=subject, identity=THERAPIST_IDENTITY)
    pending = steps.send(tab)
    question = steps.wait_warning(mode="question")
    question.answer_role("sensitive")
    question.wait_state("ready")
    assert question.mode() == "normal", question.mode()
    assert "3" in question.text("#headline"), question.text("#headline")
    after = question.eval("return {question: document.getElementById('role-question').hidden,"
                          " focused: document.activeElement && document.activeElement.id,"
                          " rulesLabel: document.getElementById('rules').getAttribute('aria-label')};")
    assert after["question"] is True and after["focused"] == "move-to-bcc", after
    assert "work" not in (after["rulesLabel"] or "").lower(), after
    assert cpolicy.get()["identities"][THERAPIST_EMAIL]["role"] == "sensitive"
    question.click("move-to-bcc")
    msg = steps.expect_sent(pending, subject)
    assert msg.addresses("Cc") == []
    assert bare(clients) <= set(msg.envelope)


def test_a_group_learned_from_new_mail_goes_out_without_a_window(csteps, mailbox, cpolicy):
    """New mail from outside in which six parents were all visible (onNewMailReceived: the import is
    marked new): CcGuard learns the group, and a new message to those parents exposes nobody."""
    steps = csteps
    parents_ = parents(6, "ctx-learn")
    mailbox.receive(author="Olga Organiser <olga.organiser@gmail.com>", to=[SENDER], cc=parents_,
                    subject=unique_subject("learned"), new=True)
    # Learning runs in CcGuard's background as the mail arrives; the store is then read back.
    poll(lambda: any("ctx-learn" in m for g in cpolicy.groups() for m in g["members"]), 20,
         what="CcGuard to learn the group from the new message")
    subject = unique_subject("to-learned")
    before = len(steps.popup_windows_created())
    steps.expect_sent(steps.send(steps.compose(to=[SENDER], cc=parents_[:5], subject=subject)), subject)
    no_window_since(steps, before)
