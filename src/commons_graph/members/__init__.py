"""Member accounts, kept outside the RDF store: members, tokens, claims, the signing secret."""

from __future__ import annotations

from commons_graph.i18n.registry import register
from commons_graph.members.accounts import Accounts, Claim, Member, accounts_path
from commons_graph.members.messages import MESSAGES as _MESSAGES

__all__ = ["Accounts", "Claim", "Member", "accounts_path"]

# The feature's texts, available to translate() once the feature is imported.
register(_MESSAGES)
