"""Money: orders with their structured communications, payments (bank transfers through imported statements,
online payments, client credit), bank statements and their lines, the cheques of paid orders, the settlement of
confirmed prestaties, client credit and its refunds, and the yearly registration fees.

Each client is simulated on its own, event by event in time, the way the application's services and jobs would
have handled it (`cheques.services`):
- A confirmed prestatie asks for one cheque per started hour. The client's unpaid confirmed hours are paid oldest
  first (date, start) with the soonest-expiring cheques that are valid on the day of settlement; when the oldest
  does not fit, it and every younger one wait ("te betalen") until cheques arrive.
- A client short of cheques orders (often some weeks ahead, sometimes only after the hours wait). An order pays
  from the client's credit first, then online (paid within minutes) or by bank transfer: the transfer is booked
  a few days later and known when the organiser imports its statement (Mondays and Thursdays); a transfer
  without a usable communication waits in the queue until staff assign it. Some orders are paid in two parts,
  too much, twice, late (after a reminder) or never (cancelled after the grace period).
- Cheques are issued when the order is paid in full (issued on the payment's booking day, valid for the rule
  set's validity), and expire unused after it. A client who stops may have its unused cheques refunded.
- Credit (paid too much or twice, paid without an order, returned cheques) pays the next order or is refunded in
  the organiser's quarterly refund batch (a SEPA file written by the application's writer).
- The first order of a calendar year carries that year's registration fee; a year without orders may be paid
  at the desk.
- The workers are paid every month: one executed payout batch per month of work, up to two months before the
  reference month, with what the monthly run would have paid at its moment (`payouts`).
Nothing that would happen after the start of the reference day is written.
"""

from .payouts import plan_payouts, write_payouts
from .simulation import simulate
from .writing import write_money

__all__ = ["plan_payouts", "simulate", "write_money", "write_payouts"]
