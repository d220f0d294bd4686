"""Writes of the cheques app: orders, payments, bank imports, online payments, cheques, settlement, refunds and
payouts.

Lock order. Every service here that moves money takes its row locks in this order, each kind in id order, so
two transactions never wait for each other in a circle (PostgreSQL would abort one with "deadlock detected"):

1. the one row the action is about: a bank import, a bank line, an online payment;
2. the organiser, to number refund and payout batches one after the other (a payout confirmation holds it to the
   end, so two runs of one organiser never overlap);
3. cheque orders;
4. registration fees (the order's fee, before its client: `registration_fee_mark_paid` locks fee, then client);
5. clients;
6. cheques;
7. payout batches, only to mark them executed (a bank import, after its matches).

A service that needs a row of an earlier kind after a later one re-reads it without a lock or takes it first.
All locks are FOR NO KEY UPDATE (`lock`), never FOR UPDATE: these rows are the targets of foreign keys, and
PostgreSQL checks a new row's foreign keys at commit with FOR KEY SHARE, which only FOR UPDATE blocks. A FOR
UPDATE lock on the organiser (or a client) made any other transaction that had inserted a row pointing to it
wait at its commit, while it could hold what we wait for next: a deadlock. `select_related` never widens a
lock to the joined rows (`of=("self",)`).

The jobs that run next to everything else (issuing cheques, settling hours, expiry, importing a statement) and
the actions that reach `payments_apply` are wrapped in `retry_on_deadlock`: the database undid all their work,
they check their state again under their locks, and they send nothing before their commit, so running them
again is the right answer rather than an error page.
"""
