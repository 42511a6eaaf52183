"""Users, teams, roles, login, tokens and API keys stored in the gateway database."""
