"""The Django admin is for developers only; everyday work happens in the screens (through the services)."""

from django.contrib import admin

from .models import Activity, ActivityRestriction, Client, ClientContact, HelpRequest, MainActivity, RegistrationFee


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ContactInline(admin.TabularInline):
    model = ClientContact
    extra = 0
    can_delete = False
    readonly_fields = ("user", "position", "is_primary")


class FeeInline(admin.TabularInline):
    model = RegistrationFee
    extra = 0
    can_delete = False
    readonly_fields = ("year", "amount", "status", "paid_on")


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    exclude = ("agreement_pdf",)  # documents have no URL: they are downloaded through the scoped views only
    list_display = ("number", "name", "category", "municipality", "status", "is_ex_pwa")
    list_filter = ("category", "status", "organiser")
    search_fields = ("name", "number", "email")
    inlines = [ContactInline, FeeInline]


@admin.register(MainActivity)
class MainActivityAdmin(ReadOnlyAdmin):
    list_display = ("name", "code")


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("name", "category", "main_activity", "municipality", "status", "ex_pwa_only", "valid_from",
                    "valid_until")
    list_filter = ("category", "status", "ex_pwa_only", "organiser")
    search_fields = ("name",)


@admin.register(ActivityRestriction)
class ActivityRestrictionAdmin(ReadOnlyAdmin):
    list_display = ("activity", "municipality", "valid_from", "valid_until")


@admin.register(HelpRequest)
class HelpRequestAdmin(ReadOnlyAdmin):
    list_display = ("activity", "client", "municipality", "status", "start_date", "created_at")
    list_filter = ("status", "organiser")
