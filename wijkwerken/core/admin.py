from django.contrib import admin

from .models import AuditEntry, ChequePrice, Municipality, Organiser, PostalCode, RuleSet


@admin.register(Organiser)
class OrganiserAdmin(admin.ModelAdmin):
    exclude = ("logo",)  # documents have no URL: they are downloaded through the scoped views only
    list_display = ("name", "city", "kbo_number")
    search_fields = ("name", "kbo_number")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "nis_code", "organiser")
    list_filter = ("organiser",)
    search_fields = ("name", "nis_code")


admin.site.register(PostalCode)
admin.site.register(RuleSet)
admin.site.register(ChequePrice)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "object_repr", "actor")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
