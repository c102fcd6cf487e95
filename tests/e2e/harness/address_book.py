"""Address-book test data made through the driver extension: one throw-away book per test,
contacts, mailing lists, and lists inside lists.

What Thunderbird does with lists (docs/thunderbird-lists.md; seen on 140 and 153):
- A list reaches compose.onBeforeSend as one pill, ``Name <"Name">``, or ``Name <"Description">``
  when the list has a description; Thunderbird writes that string itself when a list is put in a
  field as ``{"id": listId, "type": "mailingList"}`` (compose.beginNew accepts both forms).
- A list cannot be a member of another list through the API (addMember wants a contact). A list
  holds another one through a contact whose display name is that list's name and whose address
  is the list's description, or its name without one; Thunderbird expands that at send, recursively.
"""
from __future__ import annotations

import email.utils
import uuid
from dataclasses import dataclass, field

from .driver import DriverServer


@dataclass
class MailingList:
    id: str
    name: str
    description: str | None
    ref: str                      # the pill string onBeforeSend gets for this list
    members: list[str]            # as given to make_list (addresses, or refs of other lists)
    addresses: set[str] = field(default_factory=set)  # every address it expands to, lower-case


class AddressBook:
    """One address book of a test. ``delete()`` removes it with all its contacts and lists."""

    def __init__(self, driver: DriverServer, compose_pill, name: str | None = None):
        self.driver = driver
        self._compose_pill = compose_pill
        self.name = name or f"CcGuard e2e {uuid.uuid4().hex[:8]}"
        self.id = driver.call("abCreateBook", bookName=self.name)
        self.lists: dict[str, MailingList] = {}   # ref -> list
        self._contacts: dict[tuple[str, str], str] = {}  # (display name, address) -> contact id

    def _contact_ids(self, entries: list[tuple[str, str]]) -> list[str]:
        missing = [e for e in dict.fromkeys(entries) if e not in self._contacts]
        if missing:
            ids = self.driver.call("abCreateContacts", timeout=120, bookId=self.id, contacts=[
                {"email": addr, **({"displayName": name} if name else {})} for name, addr in missing])
            self._contacts.update(zip(missing, ids))
        return [self._contacts[e] for e in entries]

    def make_list(self, name: str, members: list[str], description: str | None = None) -> MailingList:
        """A list holding ``members``: header strings (``"Name <a@b>"``, ``"a@b"``) or the ``ref``
        of a list made earlier here (a nested list). Returns it with the pill Thunderbird uses."""
        entries, addresses = [], set()
        for member in members:
            nested = self.lists.get(member)
            if nested is not None:
                # The contact standing for a list: its name, and the address its pill carries.
                entries.append((nested.name, nested.description or nested.name))
                addresses |= nested.addresses
            else:
                display, addr = email.utils.parseaddr(member)
                assert "@" in addr, f"not an address or a list of this book: {member!r}"
                entries.append((display, addr))
                addresses.add(addr.lower())
        list_id = self.driver.call("abCreateList", bookId=self.id, listName=name, description=description)
        ids = self._contact_ids(entries)
        if ids:
            self.driver.call("abAddMembers", timeout=120, listId=list_id, contactIds=ids)
        ref = self._compose_pill(list_id)
        made = MailingList(list_id, name, description, ref, list(members), addresses)
        self.lists[ref] = made
        return made

    def delete(self) -> None:
        self.driver.call("abDeleteBook", id=self.id)
