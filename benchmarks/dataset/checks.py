"""The invariants of a generated data set, as SQL that counts the rows breaking each one, and a fingerprint of
the data by content.

The database itself enforces much (check constraints, a cheque redeemed once and only for its own client's
prestatie, one active trajectory per worker); these checks cover what it cannot: the hour caps, work inside the
trajectory and the assignment, one cheque per started hour, the soonest-expiring cheques first, payments that
add up, payouts that add up and pay what the monthly run would have paid, and a history that ends before the
reference day.
"""

import datetime
import hashlib

from django.db import connection

from wijkwerken.core.rules import cheques_for_minutes

# The rule set valid on a day, for an organiser (the latest version that started on or before it).
RULES_ON = """(SELECT r.{field} FROM core_ruleset r WHERE r.organiser_id = {organiser} AND r.valid_from <= {day}
               ORDER BY r.valid_from DESC LIMIT 1)"""

CHECKS = {
    "month_cap": f"""
        SELECT count(*) FROM (
            SELECT p.organiser_id, p.worker_id, date_trunc('month', p.date)::date AS month, sum(p.minutes) AS used
            FROM assignments_prestatie p
            WHERE p.organiser_id = ANY(%(ids)s) AND p.status <> 'geannuleerd' GROUP BY 1, 2, 3) t
        WHERE t.used > 60 * {RULES_ON.format(field="max_hours_per_month", organiser="t.organiser_id", day="t.month")}
    """,
    "year_cap": f"""
        SELECT count(*) FROM (
            SELECT p.organiser_id, p.worker_id, date_trunc('year', p.date)::date AS year, sum(p.minutes) AS used
            FROM assignments_prestatie p
            WHERE p.organiser_id = ANY(%(ids)s) AND p.status <> 'geannuleerd' GROUP BY 1, 2, 3) t
        WHERE t.used > 60 * {RULES_ON.format(field="max_hours_per_year", organiser="t.organiser_id", day="t.year")}
    """,
    "outside_trajectory": """
        SELECT count(*) FROM assignments_prestatie p
        WHERE p.organiser_id = ANY(%(ids)s) AND NOT EXISTS (
            SELECT 1 FROM workers_trajectory t
            WHERE t.worker_id = p.worker_id AND t.start_date <= p.date
              AND p.date <= COALESCE(t.ended_on, CASE WHEN t.max_end_date IS NULL THEN 'infinity'::date
                                                      ELSE t.end_date END))
    """,
    "outside_assignment": """
        SELECT count(*) FROM assignments_prestatie p JOIN assignments_assignment a ON a.id = p.assignment_id
        WHERE p.organiser_id = ANY(%(ids)s)
          AND (p.date NOT BETWEEN a.start_date AND a.end_date OR p.worker_id <> a.worker_id
               OR p.client_id <> a.client_id OR p.organiser_id <> a.organiser_id)
    """,
    "overlapping_prestaties": """
        SELECT count(*) FROM assignments_prestatie a
        JOIN assignments_prestatie b ON b.worker_id = a.worker_id AND b.date = a.date AND b.id > a.id
                                    AND a.start_time < b.end_time AND b.start_time < a.end_time
        WHERE a.organiser_id = ANY(%(ids)s) AND a.status <> 'geannuleerd' AND b.status <> 'geannuleerd'
    """,
    "minutes_not_times": """
        SELECT count(*) FROM assignments_prestatie p
        WHERE p.organiser_id = ANY(%(ids)s)
          AND p.minutes <> (extract(epoch FROM p.end_time - p.start_time) / 60)::int
    """,
    "assignment_outside_trajectory": """
        SELECT count(*) FROM assignments_assignment a
        WHERE a.organiser_id = ANY(%(ids)s) AND NOT EXISTS (
            SELECT 1 FROM workers_trajectory t
            WHERE t.worker_id = a.worker_id AND t.start_date <= a.start_date
              AND a.end_date <= COALESCE(t.ended_on, CASE WHEN t.max_end_date IS NULL THEN 'infinity'::date
                                                          ELSE t.end_date END))
    """,
    "open_assignment_without_trajectory": """
        SELECT count(*) FROM assignments_assignment a
        WHERE a.organiser_id = ANY(%(ids)s) AND a.status <> 'beeindigd' AND a.start_date < %(reference)s
          AND (a.end_date < %(reference)s OR NOT EXISTS (
              SELECT 1 FROM workers_trajectory t WHERE t.worker_id = a.worker_id AND t.status = 'active'
                AND t.start_date <= %(reference)s AND t.end_date >= %(reference)s))
    """,
    "active_trajectory_past_its_end": """
        SELECT count(*) FROM workers_trajectory t JOIN workers_worker w ON w.id = t.worker_id
        WHERE t.organiser_id = ANY(%(ids)s) AND t.status = 'active' AND t.end_date < %(reference)s
    """,
    "ended_trajectory_without_follow_ups": """
        SELECT count(*) FROM workers_trajectory t
        WHERE t.organiser_id = ANY(%(ids)s) AND t.status = 'ended'
          AND (SELECT count(*) FROM workers_followup f WHERE f.trajectory_id = t.id) <> 2
    """,
    "confirmed_without_settlement": """
        SELECT count(*) FROM assignments_prestatie p LEFT JOIN cheques_settlement s ON s.prestatie_id = p.id
        WHERE p.organiser_id = ANY(%(ids)s) AND (p.status = 'bevestigd') <> (s.id IS NOT NULL)
    """,
    "settlement_cheques": """
        SELECT count(*) FROM cheques_settlement s JOIN assignments_prestatie p ON p.id = s.prestatie_id
        LEFT JOIN (SELECT prestatie_id, count(*) AS n FROM cheques_cheque
                   WHERE organiser_id = ANY(%(ids)s) AND prestatie_id IS NOT NULL GROUP BY 1) c
               ON c.prestatie_id = p.id
        WHERE s.organiser_id = ANY(%(ids)s)
          AND (s.cheques <> p.cheques OR s.client_id <> p.client_id
               OR (s.status = 'betaald' AND COALESCE(c.n, 0) <> p.cheques)
               OR (s.status = 'te_betalen' AND COALESCE(c.n, 0) <> 0)
               OR (s.status = 'betaald' AND s.paid_at < p.confirmed_at))
    """,
    "cheque_of_another_client": """
        SELECT count(*) FROM cheques_cheque c JOIN assignments_prestatie p ON p.id = c.prestatie_id
        WHERE c.organiser_id = ANY(%(ids)s) AND c.client_id <> p.client_id
    """,
    "cheque_redeemed_outside_validity": """
        SELECT count(*) FROM cheques_cheque c JOIN cheques_chequeorder o ON o.id = c.order_id
        WHERE c.organiser_id = ANY(%(ids)s) AND c.status = 'gebruikt'
          AND ((c.redeemed_at AT TIME ZONE 'Europe/Brussels')::date NOT BETWEEN c.issued_on AND c.expires_on
               OR c.redeemed_at < o.cheques_issued_at)
    """,
    "cheque_not_soonest_expiring": """
        WITH used AS (
            SELECT client_id, redeemed_at, max(expires_on) AS latest FROM cheques_cheque
            WHERE organiser_id = ANY(%(ids)s) AND status = 'gebruikt' GROUP BY 1, 2)
        SELECT count(*) FROM used
        JOIN cheques_cheque u ON u.client_id = used.client_id AND u.expires_on < used.latest
        JOIN cheques_chequeorder uo ON uo.id = u.order_id
        JOIN assignments_client c ON c.id = used.client_id
        WHERE uo.cheques_issued_at <= used.redeemed_at
          AND u.expires_on >= (used.redeemed_at AT TIME ZONE 'Europe/Brussels')::date
          AND CASE u.status WHEN 'gebruikt' THEN u.redeemed_at > used.redeemed_at
                            -- handed back after the client stopped: in the wallet until then
                            WHEN 'terugbetaald' THEN used.redeemed_at < c.stopped_on
                            ELSE true END
    """,
    "cheque_status_on_reference_day": """
        SELECT count(*) FROM cheques_cheque c
        WHERE c.organiser_id = ANY(%(ids)s)
          AND ((c.status = 'beschikbaar' AND c.expires_on < %(reference)s)
               OR (c.status = 'vervallen' AND c.expires_on >= %(reference)s))
    """,
    "paid_order_cheques": """
        SELECT count(*) FROM cheques_chequeorder o
        LEFT JOIN (SELECT ch.order_id, count(*) AS n, min(ch.sequence) AS low, max(ch.sequence) AS high,
                          bool_and(ch.value = o2.cheque_price AND ch.client_id = o2.client_id
                                   AND ch.issued_on = o2.paid_on) AS same
                   FROM cheques_cheque ch JOIN cheques_chequeorder o2 ON o2.id = ch.order_id
                   WHERE ch.organiser_id = ANY(%(ids)s) GROUP BY 1) c ON c.order_id = o.id
        WHERE o.organiser_id = ANY(%(ids)s)
          AND ((o.status = 'betaald' AND (c.n IS DISTINCT FROM o.quantity OR c.low <> 1 OR c.high <> o.quantity
                                          OR NOT c.same OR o.cheques_issued_at IS NULL))
               OR (o.status <> 'betaald' AND (c.n IS NOT NULL OR o.cheques_issued_at IS NOT NULL)))
    """,
    "unpaid_order_past_its_grace": """
        SELECT count(*) FROM cheques_chequeorder o
        WHERE o.organiser_id = ANY(%(ids)s) AND o.status = 'open' AND o.amount_paid = 0
          AND o.cancel_after < %(reference)s - 1
    """,
    "payments_not_amount_paid": """
        SELECT count(*) FROM cheques_chequeorder o
        LEFT JOIN (SELECT order_id, sum(amount) AS paid FROM cheques_payment
                   WHERE organiser_id = ANY(%(ids)s) GROUP BY 1) p ON p.order_id = o.id
        WHERE o.organiser_id = ANY(%(ids)s)
          AND (COALESCE(p.paid, 0) <> o.amount_paid
               OR (o.status = 'betaald' AND o.amount_paid <> o.total)
               OR (o.status = 'gedeeltelijk_betaald' AND NOT (o.amount_paid > 0 AND o.amount_paid < o.total))
               OR (o.status IN ('open', 'geannuleerd') AND o.amount_paid <> 0))
    """,
    "bank_line_not_booked": """
        SELECT count(*) FROM cheques_bankline l
        LEFT JOIN (SELECT bank_line_id, sum(amount) AS booked FROM cheques_payment
                   WHERE organiser_id = ANY(%(ids)s) AND bank_line_id IS NOT NULL GROUP BY 1) p
               ON p.bank_line_id = l.id
        LEFT JOIN (SELECT bank_line_id, sum(amount) AS booked FROM cheques_clientcredit
                   WHERE organiser_id = ANY(%(ids)s) AND bank_line_id IS NOT NULL GROUP BY 1) c
               ON c.bank_line_id = l.id
        WHERE l.organiser_id = ANY(%(ids)s)
          AND CASE WHEN l.status IN ('te_behandelen', 'genegeerd')
                   THEN p.booked IS NOT NULL OR c.booked IS NOT NULL
                   ELSE COALESCE(p.booked, 0) + COALESCE(c.booked, 0) <> l.amount END
    """,
    "credit_below_zero": """
        SELECT count(*) FROM (
            SELECT sum(amount) OVER (PARTITION BY client_id ORDER BY created_at, id) AS balance
            FROM cheques_clientcredit WHERE organiser_id = ANY(%(ids)s)) t
        WHERE t.balance < 0
    """,
    "credit_balance_not_kept": """
        SELECT count(*) FROM (
            SELECT client_id, sum(amount) AS balance FROM cheques_clientcredit
            WHERE organiser_id = ANY(%(ids)s) GROUP BY 1) c
        FULL JOIN (SELECT client_id, balance FROM cheques_creditbalance WHERE organiser_id = ANY(%(ids)s)) b
               ON b.client_id = c.client_id
        WHERE b.balance IS DISTINCT FROM c.balance
    """,
    "worker_month_not_kept": """
        SELECT count(*) FROM (
            SELECT worker_id, date_trunc('month', date)::date AS month, sum(minutes) AS minutes
            FROM assignments_prestatie
            WHERE organiser_id = ANY(%(ids)s) AND status IN ('geregistreerd', 'gevalideerd', 'bevestigd', 'betwist')
            GROUP BY 1, 2) p
        FULL JOIN (SELECT w.worker_id, w.month, w.minutes FROM assignments_workermonth w
                   JOIN workers_worker k ON k.id = w.worker_id
                   WHERE k.organiser_id = ANY(%(ids)s) AND w.minutes <> 0) w
               ON w.worker_id = p.worker_id AND w.month = p.month
        WHERE w.minutes IS DISTINCT FROM p.minutes
    """,
    "refund_batch_not_its_credits": """
        SELECT count(*) FROM cheques_refundbatch b
        LEFT JOIN (SELECT refund_batch_id, -sum(amount) AS total, count(*) AS n FROM cheques_clientcredit
                   WHERE organiser_id = ANY(%(ids)s) AND refund_batch_id IS NOT NULL GROUP BY 1) c
               ON c.refund_batch_id = b.id
        WHERE b.organiser_id = ANY(%(ids)s) AND (c.total IS DISTINCT FROM b.total OR c.n <> b.count)
    """,
    "fee_not_its_order": """
        SELECT count(*) FROM cheques_chequeorder o JOIN assignments_registrationfee f ON f.id = o.fee_id
        WHERE o.organiser_id = ANY(%(ids)s)
          AND (o.fee_amount <> f.amount OR f.client_id <> o.client_id OR f.year <> extract(year FROM o.ordered_on)
               OR (o.status = 'betaald' AND (f.status <> 'paid' OR f.paid_on <> o.paid_on)))
    """,
    # A batch's figures are its lines'; the counts it keeps (prestaties, with travel, corrections) its items'.
    "payout_batch_not_its_lines": """
        SELECT count(*) FROM cheques_payoutbatch b
        LEFT JOIN (SELECT batch_id, count(*) AS n, sum(allowance) AS allowance, sum(travel) AS travel,
                          sum(corrections) AS corrections, sum(total) AS total
                   FROM cheques_payoutline WHERE organiser_id = ANY(%(ids)s) GROUP BY 1) l ON l.batch_id = b.id
        LEFT JOIN (SELECT l.batch_id, count(*) FILTER (WHERE i.kind = 'vergoeding') AS prestaties,
                          count(*) FILTER (WHERE i.kind = 'vergoeding' AND i.travel <> 0) AS travel_count,
                          count(*) FILTER (WHERE i.kind <> 'vergoeding') AS correction_count
                   FROM cheques_payoutitem i JOIN cheques_payoutline l ON l.id = i.line_id
                   WHERE i.organiser_id = ANY(%(ids)s) GROUP BY 1) i ON i.batch_id = b.id
        WHERE b.organiser_id = ANY(%(ids)s)
          AND (l.n IS DISTINCT FROM b.count OR l.allowance <> b.allowance OR l.travel <> b.travel
               OR l.corrections <> b.corrections OR l.total <> b.total
               OR i.prestaties IS DISTINCT FROM b.prestaties OR i.travel_count IS DISTINCT FROM b.travel_count
               OR i.correction_count IS DISTINCT FROM b.correction_count)
    """,
    # A line's prestaties, cheques, kilometres and travel are those of its payment items; its corrections the
    # other items (a prestatie's correction, a staff correction); its allowance and total all of them.
    "payout_line_not_its_items": """
        SELECT count(*) FROM cheques_payoutline l
        LEFT JOIN (SELECT i.line_id, count(*) FILTER (WHERE i.kind = 'vergoeding') AS n,
                          COALESCE(sum(i.cheques) FILTER (WHERE i.kind = 'vergoeding'), 0) AS cheques,
                          COALESCE(sum(i.kilometres) FILTER (WHERE i.kind = 'vergoeding'), 0) AS kilometres,
                          sum(i.allowance) AS allowance,
                          COALESCE(sum(i.travel) FILTER (WHERE i.kind = 'vergoeding'), 0) AS travel,
                          COALESCE(sum(i.amount) FILTER (WHERE i.kind <> 'vergoeding'), 0) AS corrections,
                          sum(i.amount) AS total, bool_and(i.worker_id = il.worker_id) AS same_worker
                   FROM cheques_payoutitem i JOIN cheques_payoutline il ON il.id = i.line_id
                   WHERE i.organiser_id = ANY(%(ids)s) GROUP BY 1) i ON i.line_id = l.id
        WHERE l.organiser_id = ANY(%(ids)s)
          AND (i.line_id IS NULL OR i.n <> l.prestaties OR i.cheques <> l.cheques OR i.kilometres <> l.kilometres
               OR i.allowance <> l.allowance OR i.travel <> l.travel OR i.corrections <> l.corrections
               OR i.total <> l.total OR NOT i.same_worker)
    """,
    # Paid out only once the client's cheques paid it at the moment of the run (or, when the rule set at the
    # month's end advances waiting hours, once it was confirmed and settled, paid or waiting).
    "payout_before_settlement": f"""
        SELECT count(*) FROM cheques_payoutitem i JOIN cheques_payoutline l ON l.id = i.line_id
        JOIN cheques_payoutbatch b ON b.id = l.batch_id JOIN assignments_prestatie p ON p.id = i.prestatie_id
        LEFT JOIN cheques_settlement s ON s.prestatie_id = p.id
        WHERE i.organiser_id = ANY(%(ids)s) AND i.kind = 'vergoeding'
          AND (p.status <> 'bevestigd' OR p.confirmed_at > b.created_at OR s.id IS NULL
               OR s.created_at > b.created_at
               OR (NOT {RULES_ON.format(field="advance_waiting_hours", organiser="b.organiser_id",
                                        day="(b.month + interval '1 month - 1 day')::date")}
                   AND (s.status <> 'betaald' OR s.paid_at > b.created_at)))
    """,
    "payout_of_later_work": """
        SELECT count(*) FROM cheques_payoutitem i JOIN cheques_payoutline l ON l.id = i.line_id
        JOIN cheques_payoutbatch b ON b.id = l.batch_id LEFT JOIN assignments_prestatie p ON p.id = i.prestatie_id
        WHERE i.organiser_id = ANY(%(ids)s)
          AND (i.date >= b.month + interval '1 month' OR i.date <> p.date OR i.worker_id <> p.worker_id)
    """,
    # What the run would have paid: a worker in a batch is paid every prestatie of theirs that was due then.
    "payout_skipped_a_due_prestatie": f"""
        SELECT count(*) FROM cheques_payoutline l JOIN cheques_payoutbatch b ON b.id = l.batch_id
        JOIN assignments_prestatie p ON p.worker_id = l.worker_id AND p.status = 'bevestigd'
                                    AND p.date < b.month + interval '1 month'
        JOIN cheques_settlement s ON s.prestatie_id = p.id
        LEFT JOIN cheques_payoutitem i ON i.prestatie_id = p.id AND i.kind = 'vergoeding'
        LEFT JOIN cheques_payoutline il ON il.id = i.line_id LEFT JOIN cheques_payoutbatch ib ON ib.id = il.batch_id
        WHERE l.organiser_id = ANY(%(ids)s) AND (ib.id IS NULL OR ib.number > b.number)
          AND (s.paid_at <= b.created_at
               OR (s.created_at <= b.created_at
                   AND {RULES_ON.format(field="advance_waiting_hours", organiser="b.organiser_id",
                                        day="(b.month + interval '1 month - 1 day')::date")}))
    """,
    "history_after_reference_day": """
        SELECT (SELECT count(*) FROM assignments_prestatie WHERE organiser_id = ANY(%(ids)s)
                  AND (date >= %(reference)s OR registered_at >= %(cutoff)s OR validated_at >= %(cutoff)s
                       OR confirmed_at >= %(cutoff)s))
             + (SELECT count(*) FROM cheques_cheque WHERE organiser_id = ANY(%(ids)s)
                  AND (issued_on >= %(reference)s OR redeemed_at >= %(cutoff)s))
             + (SELECT count(*) FROM cheques_chequeorder WHERE organiser_id = ANY(%(ids)s)
                  AND (ordered_on >= %(reference)s OR created_at >= %(cutoff)s))
             + (SELECT count(*) FROM cheques_payment WHERE organiser_id = ANY(%(ids)s)
                  AND (received_on >= %(reference)s OR created_at >= %(cutoff)s))
             + (SELECT count(*) FROM workers_trajectory WHERE organiser_id = ANY(%(ids)s)
                  AND (start_date >= %(reference)s OR ended_on >= %(reference)s))
             + (SELECT count(*) FROM cheques_payoutbatch WHERE organiser_id = ANY(%(ids)s)
                  AND (created_at >= %(cutoff)s OR execution_date >= %(reference)s OR executed_on >= %(reference)s))
    """,
}


def violations(organiser_ids: list[int], reference: datetime.date) -> dict[str, int]:
    from .base import at

    params = {"ids": list(organiser_ids), "reference": reference, "cutoff": at(reference, 0)}
    found = {}
    with connection.cursor() as cursor:
        for name, sql in CHECKS.items():
            cursor.execute(sql, params)
            found[name] = cursor.fetchone()[0]
        # One cheque per started hour: every (minutes, cheques) pair against the application's own rule.
        cursor.execute(f"""
            SELECT p.minutes, p.cheques, {RULES_ON.format(field="minutes_per_cheque", organiser="p.organiser_id",
                                                          day="p.date")} AS per_cheque, count(*)
            FROM assignments_prestatie p WHERE p.organiser_id = ANY(%(ids)s) GROUP BY 1, 2, 3""", params)
        found["cheques_not_per_started_hour"] = sum(
            count for minutes, cheques, per_cheque, count in cursor.fetchall()
            if cheques != cheques_for_minutes(minutes, per_cheque))
    return found


# What the fingerprint reads: content by natural keys (national numbers, client numbers, structured
# communications, dates), never ids or the moment of writing.
FINGERPRINT = (
    """SELECT o.name, o.kbo_number, o.iban, o.lowest_price_applies FROM core_organiser o
       WHERE o.id = ANY(%(ids)s) ORDER BY o.kbo_number""",
    """SELECT m.nis_code, o.kbo_number FROM core_municipality m JOIN core_organiser o ON o.id = m.organiser_id
       WHERE o.id = ANY(%(ids)s) ORDER BY m.nis_code""",
    """SELECT o.kbo_number, r.valid_from, r.auto_confirm_days, r.cheque_validity_months FROM core_ruleset r
       JOIN core_organiser o ON o.id = r.organiser_id WHERE o.id = ANY(%(ids)s) ORDER BY 1, 2""",
    """SELECT m.nis_code, p.valid_from, p.price FROM core_chequeprice p JOIN core_municipality m
       ON m.id = p.municipality_id WHERE m.organiser_id = ANY(%(ids)s) ORDER BY 1, 2""",
    """SELECT u.email, u.role, u.first_name, u.last_name FROM accounts_user u
       WHERE u.organiser_id = ANY(%(ids)s) ORDER BY u.email""",
    """SELECT o.kbo_number, w.national_number, w.first_name, w.last_name, m.nis_code, w.ex_pwa, w.referral,
              w.iban, w.referral_date FROM workers_worker w JOIN core_municipality m ON m.id = w.municipality_id
       JOIN core_organiser o ON o.id = w.organiser_id WHERE w.organiser_id = ANY(%(ids)s) ORDER BY 1, 2""",
    """SELECT w.national_number, t.start_date, t.end_date, t.max_end_date, t.status, t.ended_on, t.outflow_reason,
              t.evaluation_due_on, (SELECT count(*) FROM workers_extension e WHERE e.trajectory_id = t.id),
              (SELECT count(*) FROM workers_suspension s WHERE s.trajectory_id = t.id), o.kbo_number
       FROM workers_trajectory t JOIN workers_worker w ON w.id = t.worker_id
       JOIN core_organiser o ON o.id = t.organiser_id WHERE t.organiser_id = ANY(%(ids)s) ORDER BY 11, 1, 2""",
    """SELECT c.number, c.category, c.name, c.status, c.agreement_signed_on, c.activated_on, c.stopped_on,
              m.nis_code, c.iban FROM assignments_client c JOIN core_municipality m ON m.id = c.municipality_id
       WHERE c.organiser_id = ANY(%(ids)s) ORDER BY c.number""",
    """SELECT c.number, f.year, f.amount, f.status, f.paid_on FROM assignments_registrationfee f
       JOIN assignments_client c ON c.id = f.client_id WHERE c.organiser_id = ANY(%(ids)s) ORDER BY 1, 2""",
    """SELECT c.number, w.national_number, a.start_date, a.end_date, a.status, a.weekdays::text, a.time_from,
              act.name, r.status, r.schedule, a.handed_over_from_id IS NOT NULL
       FROM assignments_assignment a JOIN assignments_client c ON c.id = a.client_id
       JOIN workers_worker w ON w.id = a.worker_id JOIN assignments_activity act ON act.id = a.activity_id
       JOIN assignments_helprequest r ON r.id = a.request_id
       WHERE a.organiser_id = ANY(%(ids)s) ORDER BY 1, 2, 3""",
    """SELECT c.number, r.status, r.start_date, r.end_date FROM assignments_helprequest r
       JOIN assignments_client c ON c.id = r.client_id WHERE r.organiser_id = ANY(%(ids)s) ORDER BY 1, 3, 2, 4""",
    """SELECT c.number, w.national_number, p.date, p.start_time, p.end_time, p.minutes, p.cheques, p.status,
              p.confirmed_at
       FROM assignments_prestatie p JOIN workers_worker w ON w.id = p.worker_id
       JOIN assignments_client c ON c.id = p.client_id
       WHERE p.organiser_id = ANY(%(ids)s) ORDER BY 1, 2, 3, 4""",
    """SELECT o.structured_communication, c.number, o.quantity, o.cheque_price, o.total, o.amount_paid, o.status,
              o.ordered_on, o.paid_on, o.cancelled_on, o.reminder_sent_on
       FROM cheques_chequeorder o JOIN assignments_client c ON c.id = o.client_id
       WHERE o.organiser_id = ANY(%(ids)s) ORDER BY 1""",
    """SELECT o.structured_communication, p.amount, p.method, p.received_on FROM cheques_payment p
       JOIN cheques_chequeorder o ON o.id = p.order_id WHERE p.organiser_id = ANY(%(ids)s) ORDER BY 1, 4, 2, 3""",
    """SELECT l.booking_date, l.amount, l.communication, l.status, l.payer_iban FROM cheques_bankline l
       WHERE l.organiser_id = ANY(%(ids)s) ORDER BY 1, 3, 2, 4, 5""",
    """SELECT o.structured_communication, ch.sequence, ch.status, ch.expires_on, w.national_number, p.date,
              p.start_time
       FROM cheques_cheque ch JOIN cheques_chequeorder o ON o.id = ch.order_id
       LEFT JOIN assignments_prestatie p ON p.id = ch.prestatie_id LEFT JOIN workers_worker w ON w.id = p.worker_id
       WHERE ch.organiser_id = ANY(%(ids)s) ORDER BY 1, 2""",
    """SELECT c.number, w.national_number, p.date, p.start_time, s.status, s.cheques, s.paid_at
       FROM cheques_settlement s JOIN assignments_prestatie p ON p.id = s.prestatie_id
       JOIN workers_worker w ON w.id = p.worker_id JOIN assignments_client c ON c.id = s.client_id
       WHERE s.organiser_id = ANY(%(ids)s) ORDER BY 1, 2, 3, 4""",
    """SELECT c.number, cr.amount, cr.kind, cr.refund_iban, cr.created_at FROM cheques_clientcredit cr
       JOIN assignments_client c ON c.id = cr.client_id WHERE cr.organiser_id = ANY(%(ids)s) ORDER BY 1, 5, 2, 3""",
    """SELECT b.number, b.total, b.count, b.execution_date, o.kbo_number FROM cheques_refundbatch b
       JOIN core_organiser o ON o.id = b.organiser_id WHERE o.id = ANY(%(ids)s) ORDER BY 5, 1""",
    """SELECT o.kbo_number, b.number, b.month, b.execution_date, b.status, b.executed_on, b.count, b.allowance,
              b.travel, b.corrections, b.total, b.created_at FROM cheques_payoutbatch b
       JOIN core_organiser o ON o.id = b.organiser_id WHERE o.id = ANY(%(ids)s) ORDER BY 1, 2""",
    """SELECT o.kbo_number, b.number, w.national_number, l.name, l.iban, l.prestaties, l.cheques, l.kilometres,
              l.allowance, l.travel, l.corrections, l.total
       FROM cheques_payoutline l JOIN cheques_payoutbatch b ON b.id = l.batch_id
       JOIN workers_worker w ON w.id = l.worker_id JOIN core_organiser o ON o.id = l.organiser_id
       WHERE l.organiser_id = ANY(%(ids)s) ORDER BY 1, 2, 3""",
    """SELECT o.kbo_number, w.national_number, b.number, i.kind, i.sequence, p.date, p.start_time, i.date,
              i.cheques, i.kilometres, i.allowance, i.travel, i.amount
       FROM cheques_payoutitem i JOIN cheques_payoutline l ON l.id = i.line_id
       JOIN cheques_payoutbatch b ON b.id = l.batch_id JOIN workers_worker w ON w.id = i.worker_id
       JOIN core_organiser o ON o.id = i.organiser_id LEFT JOIN assignments_prestatie p ON p.id = i.prestatie_id
       WHERE i.organiser_id = ANY(%(ids)s) ORDER BY 1, 2, 3, 4, 6, 7, 5, 8, 13""",
)


def fingerprint(organiser_ids: list[int]) -> str:
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for sql in FINGERPRINT:
            cursor.execute(sql, {"ids": list(organiser_ids)})
            for rows in iter(lambda: cursor.fetchmany(10_000), []):
                for row in rows:
                    digest.update(repr(row).encode())
            digest.update(b"|")
    return digest.hexdigest()
