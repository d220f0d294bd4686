"""The parts of the Flanders-scale data set generator (`benchmarks/flanders.py` is its entry point).

One module per subject: `spec` (what to build: organiser specifications and the presets), `places`
(municipalities, their population and the regions of the 40 organisers), `identities` (names, addresses and
valid Belgian identifiers), `base` (organisers, rule sets, prices, activity list, staff accounts), `people`
(wijk-werkers with their trajectories, clients with their fees and logins), `work` (requests, assignments,
prestaties under the hour caps), `money` (a package: `ledger` plans orders, payments, bank statements and refunds,
`simulation` runs each client's money through time, `writing` writes it with the cheques and settlements), `store`
(writing rows with PostgreSQL COPY, and the bulk load) and `checks` (the invariants and a fingerprint of the data).
"""
