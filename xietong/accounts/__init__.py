"""Who may do what: roles, the people acting (principals) and the permission rules."""
