"""The directory of people who receive alerts: roles, branches, contacts and preferences."""
