"""Who may see and do what: roles, the people who hold them, and one scope per model."""
