"""#CodeSocial: drafts, published versions (sealed, hashed), comparison, verification, history."""
