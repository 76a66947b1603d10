"""The shopper's account on a storefront: profile, password, address book."""
