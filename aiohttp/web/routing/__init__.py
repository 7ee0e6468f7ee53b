"""Routing: the router, resources, routes, route tables, views, sub-applications and static
files."""
