"""Member accounts, kept outside the RDF store: members, tokens, claims, the signing secret."""

from __future__ import annotations

from commons_graph.members.accounts import Accounts, Claim, Member, accounts_path

__all__ = ["Accounts", "Claim", "Member", "accounts_path"]
