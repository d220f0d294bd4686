"""The money coming in, one module per subdomain: orders, payments, credits, bank, cheques (the wallet and
the settlement). Other apps import from this package.

Glossary: ChequeOrder = bestelling, Payment = betaling, ClientCredit = tegoed (overpayments, to use for an
order or to refund), RefundBatch = terugbetaling (a SEPA file giving credit back), BankImport =
rekeninguittreksel, BankLine = bankverrichting, MolliePayment = online betaling,
Cheque = wijk-werkcheque (elektronisch of papier), wallet = portefeuille, Settlement = afrekening (a confirmed
prestatie betaald with cheques, or te betalen while the wallet holds too few).
The money going out: PayoutBatch = uitbetaling (a SEPA file paying the wijk-werkers), PayoutLine = one worker's
transfer (vergoeding), PayoutItem = what a line pays, PayoutCorrection = correctie, PayoutStatement = afrekening
(PDF) for the worker."""

from .bank import (
    BankImport,
    BankLine,
    ImportFormat,
    ImportStatus,
    LineStatus,
)
from .cheques import (
    Cheque,
    ChequeDay,
    ChequeKind,
    ChequeQuerySet,
    ChequeStatus,
    Settlement,
    SettlementQuerySet,
    SettlementStatus,
)
from .credits import (
    INCOMING_CREDIT_KINDS,
    ClientCredit,
    CreditBalance,
    CreditKind,
    RefundBatch,
)
from .orders import (
    MAX_ORDER_QUANTITY,
    MIN_ORDER_QUANTITY,
    OPEN_ORDER_STATUSES,
    ChequeOrder,
    ChequeOrderQuerySet,
    OrderStatus,
    format_structured_communication,
)
from .payments import (
    MolliePayment,
    MollieStatus,
    Payment,
    PaymentMethod,
)
from .payouts import (
    PayoutBatch,
    PayoutBatchStatus,
    PayoutCorrection,
    PayoutInputs,
    PayoutItem,
    PayoutItemKind,
    PayoutLine,
    PayoutStatement,
)

__all__ = [
    "BankImport",
    "BankLine",
    "Cheque",
    "ChequeDay",
    "ChequeKind",
    "ChequeOrder",
    "ChequeOrderQuerySet",
    "ChequeQuerySet",
    "ChequeStatus",
    "ClientCredit",
    "CreditBalance",
    "CreditKind",
    "INCOMING_CREDIT_KINDS",
    "ImportFormat",
    "ImportStatus",
    "LineStatus",
    "MAX_ORDER_QUANTITY",
    "MIN_ORDER_QUANTITY",
    "MolliePayment",
    "MollieStatus",
    "OPEN_ORDER_STATUSES",
    "OrderStatus",
    "Payment",
    "PaymentMethod",
    "PayoutBatch",
    "PayoutBatchStatus",
    "PayoutCorrection",
    "PayoutInputs",
    "PayoutItem",
    "PayoutItemKind",
    "PayoutLine",
    "PayoutStatement",
    "RefundBatch",
    "Settlement",
    "SettlementQuerySet",
    "SettlementStatus",
    "format_structured_communication",
]
