from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BEHEERDER = "beheerder", _("administrator")
    BEMIDDELAAR = "bemiddelaar", _("mediator")
    WERKCOACH = "werkcoach", _("work coach")
    GEMEENTE = "gemeente", _("municipal staff")
    GEBRUIKER = "gebruiker", _("client")
    WIJKWERKER = "wijkwerker", _("wijk-werker")


# The organiser's own staff: they see every municipality of their organiser.
ORGANISER_STAFF_ROLES = (Role.BEHEERDER, Role.BEMIDDELAAR, Role.WERKCOACH)
# Accounts the beheerder manages on the staff screen.
STAFF_ACCOUNT_ROLES = (*ORGANISER_STAFF_ROLES, Role.GEMEENTE)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who logs in. Logs in with an e-mail address; what they may see follows from role and scope."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    organiser = models.ForeignKey(
        "core.Organiser",
        verbose_name=_("organiser"),
        related_name="users",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("municipality"),
        related_name="users",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Required for municipal staff: they see only this municipality."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Access to the Django admin, which is for developers only.
    is_staff = models.BooleanField(_("developer access"), default=False)
    date_joined = models.DateTimeField(_("created on"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="") | Q(organiser__isnull=False), name="user_role_needs_organiser"
            ),
            models.CheckConstraint(
                condition=~Q(role="gemeente") | Q(municipality__isnull=False),
                name="user_municipal_staff_needs_municipality",
            ),
        ]
        # Staff lists and choices (coaches, bemiddelaars) pick a few users of one role among an organiser's
        # thousands of client and worker logins.
        indexes = [models.Index(fields=["organiser", "role"], name="user_organiser_role_idx")]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.role == Role.GEMEENTE and not self.municipality_id:
            raise ValidationError(
                {"municipality": _("Municipal staff must be linked to one municipality.")}, code="no_municipality"
            )
        if self.municipality_id and self.organiser_id and self.municipality.organiser_id != self.organiser_id:
            raise ValidationError(
                {"municipality": _("This municipality does not belong to the organiser.")},
                code="foreign_municipality",
            )

    @property
    def is_organiser_staff(self) -> bool:
        return self.role in ORGANISER_STAFF_ROLES

    def has_role(self, *roles) -> bool:
        return self.is_active and self.role in roles
