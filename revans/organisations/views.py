"""Views: parse input, call access_* and actions, render. No business rules here."""
