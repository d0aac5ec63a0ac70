package accounts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sirupsen/logrus"

	"github.com/sambad/sambad/models"
)

// legacyMarkers are what a Chromium profile has at its top: found directly
// in whatsapp-session/, the directory is the single profile of a version
// before accounts.
var legacyMarkers = []string{"Default", "Local State"}

func isLegacyProfile(root string) bool {
	for _, m := range legacyMarkers {
		if _, err := os.Stat(filepath.Join(root, m)); err == nil {
			return true
		}
	}
	return false
}

// upgradeLegacyProfile moves the profile of a data directory made before
// accounts (whatsapp-session/ itself) to whatsapp-session/<first account>/,
// creating the first account's row if there is none: the linked session
// goes on without a new scan. The move is two renames through
// whatsapp-session.upgrading, and an interrupted upgrade is finished on
// the next start. Every directory stays 0700.
func upgradeLegacyProfile(ctx context.Context, store Store, root, installID string) error {
	tmp := root + ".upgrading"
	_, err := os.Stat(tmp)
	pending := err == nil
	if !pending && !isLegacyProfile(root) {
		return nil
	}
	rows, err := store.ListWhatsAppAccounts(ctx)
	if err != nil {
		return err
	}
	var id string
	if len(rows) > 0 {
		id = rows[0].ID
	} else {
		a := models.WhatsAppAccount{Name: "WhatsApp", HolderInstallID: installID}
		if err := store.CreateWhatsAppAccount(ctx, &a, 0); err != nil {
			return err
		}
		id = a.ID
	}
	if !pending {
		if err := os.Rename(root, tmp); err != nil {
			return fmt.Errorf("accounts: unable to move the WhatsApp profile aside: %w", err)
		}
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return fmt.Errorf("accounts: unable to create %s: %w", root, err)
	}
	dst := filepath.Join(root, id)
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("accounts: unable to upgrade the WhatsApp profile: %s already exists (the old profile is kept in %s)", dst, tmp)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("accounts: unable to upgrade the WhatsApp profile: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("accounts: unable to move the WhatsApp profile into place: %w", err)
	}
	if err := os.Chmod(dst, 0o700); err != nil {
		return fmt.Errorf("accounts: unable to restrict the profile to 0700: %w", err)
	}
	logrus.WithFields(logrus.Fields{"account": id, "profile": dst}).Info("accounts: the existing WhatsApp session is now the first account")
	return nil
}
