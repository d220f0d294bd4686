"""Forms, one module per subdomain: clients, activities, requests, placements, prestaties, matching."""

