package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sambad/sambad/internal/testdb"
	"github.com/sambad/sambad/models"
)

func TestUserStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		admin, err := s.CreateFirstAdmin(ctx, "Asha", "h1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateFirstAdmin(ctx, "Other", "h2"); !errors.Is(err, models.ErrDuplicate) {
			t.Fatalf("second first admin: %v", err)
		}
		staff, err := s.CreateUser(ctx, "Ravi", "h3", models.RoleStaff, false)
		if err != nil {
			t.Fatal(err)
		}
		var ve *models.ValidationError
		if _, err := s.CreateUser(ctx, "ravi", "h4", models.RoleStaff, false); !errors.Is(err, models.ErrDuplicate) || !errors.As(err, &ve) {
			t.Fatalf("same name in another case: %v", err)
		}
		if _, err := s.CreateUser(ctx, "Meena", "h4", "boss", false); !errors.As(err, &ve) {
			t.Fatalf("unknown role: %v", err)
		}
		if _, err := s.CreateUser(ctx, "  ", "h4", models.RoleStaff, false); !errors.As(err, &ve) {
			t.Fatalf("blank name: %v", err)
		}
		if u, err := s.UserByName(ctx, "ASHA"); err != nil || u.ID != admin.ID {
			t.Fatalf("by name: %v %v", u, err)
		}
		if o, err := s.OwnerUser(ctx); err != nil || o.ID != admin.ID {
			t.Fatalf("owner: %v %v", o, err)
		}
		// The last admin can be neither demoted nor deleted.
		staffRole := models.RoleStaff
		if _, err := s.UpdateUser(ctx, admin.ID, models.UserPatch{Role: &staffRole}); !errors.Is(err, models.ErrLastAdmin) {
			t.Fatalf("demote the last admin: %v", err)
		}
		if err := s.DeleteUser(ctx, admin.ID); !errors.Is(err, models.ErrLastAdmin) {
			t.Fatalf("delete the last admin: %v", err)
		}
		adminRole, yes := models.RoleAdmin, true
		if _, err := s.UpdateUser(ctx, staff.ID, models.UserPatch{Role: &adminRole, SeeNumbers: &yes}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, admin.ID, models.UserPatch{Role: &staffRole}); err != nil {
			t.Fatalf("demote with another admin: %v", err)
		}
		// A new password ends the user's sessions but the one kept.
		now := time.Now()
		for _, h := range []string{"keep", "other"} {
			if err := s.CreateSession(ctx, &models.AuthSession{TokenHash: h, UserID: &staff.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		pw := "h5"
		if _, err := s.UpdateUser(ctx, staff.ID, models.UserPatch{PasswordHash: &pw, KeepSession: "keep"}); err != nil {
			t.Fatal(err)
		}
		if u, err := s.SessionUser(ctx, "keep", now); err != nil || u.ID != staff.ID || u.PasswordHash != "h5" {
			t.Fatalf("kept session: %v %v", u, err)
		}
		if _, err := s.SessionUser(ctx, "other", now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("other session survived a new password: %v", err)
		}
		// Deleting a user ends their sessions and tokens.
		tok := &models.APIToken{UserID: staff.ID, Name: "ci", TokenHash: "th", Prefix: "sbd_x"}
		if err := s.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateUser(ctx, admin.ID, models.UserPatch{Role: &adminRole}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, staff.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, "keep", now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("session of a deleted user: %v", err)
		}
		if _, _, err := s.TokenUser(ctx, "th", now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("token of a deleted user: %v", err)
		}
		if _, err := s.GetUser(ctx, staff.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deleted user: %v", err)
		}
	})
}

func TestAPITokenStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		u, err := s.CreateFirstAdmin(ctx, "admin", "h")
		if err != nil {
			t.Fatal(err)
		}
		var ve *models.ValidationError
		if err := s.CreateAPIToken(ctx, &models.APIToken{UserID: u.ID, Name: " ", TokenHash: "a"}); !errors.As(err, &ve) {
			t.Fatalf("nameless token: %v", err)
		}
		if err := s.CreateAPIToken(ctx, &models.APIToken{UserID: models.NewID(), Name: "x", TokenHash: "a"}); !errors.As(err, &ve) {
			t.Fatalf("token of no user: %v", err)
		}
		tok := &models.APIToken{UserID: u.ID, Name: "ci", TokenHash: "hash1", Prefix: "sbd_ab"}
		if err := s.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		got, gotTok, err := s.TokenUser(ctx, "hash1", now)
		if err != nil || got.ID != u.ID || gotTok.LastUsedAt == nil {
			t.Fatalf("token user: %v %v %v", got, gotTok, err)
		}
		list, err := s.ListAPITokens(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].UserName != "admin" || list[0].LastUsedAt == nil {
			t.Fatalf("list: %+v %v", list, err)
		}
		if err := s.DeleteAPIToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteAPIToken(ctx, tok.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoke twice: %v", err)
		}
		if _, _, err := s.TokenUser(ctx, "hash1", now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("revoked token: %v", err)
		}
	})
}

func TestAuditStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s *models.Store) {
		ctx := context.Background()
		base := time.Now().Add(-time.Hour)
		for i, e := range []models.AuditEntry{
			{UserName: "Asha", Action: "auth.sign_in"},
			{UserName: "Ravi", Action: "campaign.start", Detail: "Diwali"},
			{UserName: "Ravi", Action: "campaign.pause", Detail: "Diwali"},
			{UserName: "asha", Action: "user.create", Detail: "Ravi (staff)"},
		} {
			e.At = base.Add(time.Duration(i) * time.Minute)
			if err := s.AddAudit(ctx, &e); err != nil {
				t.Fatal(err)
			}
		}
		all, total, err := s.ListAudit(ctx, models.AuditFilter{PerPage: 2})
		if err != nil || total != 4 || len(all) != 2 || all[0].Action != "user.create" {
			t.Fatalf("first page: %+v %d %v", all, total, err)
		}
		page2, _, _ := s.ListAudit(ctx, models.AuditFilter{PerPage: 2, Page: 2})
		if len(page2) != 2 || page2[1].Action != "auth.sign_in" {
			t.Fatalf("second page: %+v", page2)
		}
		asha, total, _ := s.ListAudit(ctx, models.AuditFilter{User: "ASHA"})
		if total != 2 || len(asha) != 2 {
			t.Fatalf("by user: %+v", asha)
		}
		camp, total, _ := s.ListAudit(ctx, models.AuditFilter{Action: "campaign."})
		if total != 2 || camp[0].Action != "campaign.pause" {
			t.Fatalf("by action prefix: %+v", camp)
		}
		one, total, _ := s.ListAudit(ctx, models.AuditFilter{Action: "campaign.start", User: "ravi"})
		if total != 1 || one[0].Detail != "Diwali" {
			t.Fatalf("by action and user: %+v", one)
		}
	})
}
