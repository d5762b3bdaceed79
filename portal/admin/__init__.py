"""Tenant administration (管理者): the government's details and branding, departments,
staff and their roles, closing days, the seal certificate and the audit log."""
