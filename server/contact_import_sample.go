package server

import (
	"bytes"
	"encoding/csv"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/nyaruka/phonenumbers"
)

// contactImportSample sends a small CSV with every kind of column the
// import reads, with example numbers of the default region, so it imports
// as it is and shows how to lay out a real file.
func (s *Server) contactImportSample(c *gin.Context) {
	local, intl := "98765 43210", "+91 98765 43211"
	if ex := phonenumbers.GetExampleNumberForType(s.cfg.DefaultRegion, phonenumbers.MOBILE); ex != nil {
		local = phonenumbers.Format(ex, phonenumbers.NATIONAL)
		ex.NationalNumber = proto64(ex.GetNationalNumber() + 1)
		intl = phonenumbers.Format(ex, phonenumbers.INTERNATIONAL)
	}
	var b bytes.Buffer
	b.WriteString("\ufeff") // Excel reads the file as UTF-8
	w := csv.NewWriter(&b)
	w.WriteAll([][]string{
		{"phone", "name", "v1", "v2", "groups", "city"},
		{local, "Asha Rao", "Diwali", "20%", "Customers, VIP", "Pune"},
		{intl, "Bela Singh", "Diwali", "10%", "Customers", "Mumbai"},
	})
	c.Header("Content-Disposition", `attachment; filename="sambad-contacts-sample.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}

func proto64(n uint64) *uint64 { return &n }
