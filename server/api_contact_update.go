package server

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sambad/sambad/models"
)

// contactPatch holds the fields a PATCH may change; absent fields stay.
// Variables are merged (an empty value clears one); attributes are replaced.
type contactPatch struct {
	Phone      *string            `json:"phone"`
	Name       *string            `json:"name"`
	Variables  map[string]string  `json:"variables"`
	Attributes *map[string]string `json:"attributes"`
	OptedOut   *bool              `json:"opted_out"`
}

// apiContactUpdate answers PATCH /api/v1/contacts/{id}.
func (s *Server) apiContactUpdate(c *gin.Context) {
	contact, err := s.store.GetContact(c.Request.Context(), c.Param("id"))
	if err != nil {
		apiStoreError(c, err)
		return
	}
	var p contactPatch
	if !decodeJSON(c, &p) {
		return
	}
	in := models.InputFromContact(contact)
	if p.Phone != nil {
		in.Phone = *p.Phone
	}
	if p.Name != nil {
		in.Name = *p.Name
	}
	for k, v := range p.Variables {
		if n := models.VariableIndex(k); n > 0 {
			k = fmt.Sprintf("v%d", n) // var3 and v3 name the same variable
		}
		if v == "" {
			delete(in.Variables, k)
			continue
		}
		in.Variables[k] = v
	}
	if p.Attributes != nil {
		in.Attributes = *p.Attributes
	}
	if p.OptedOut != nil {
		in.OptedOut = *p.OptedOut
	}
	if err := in.Apply(contact, s.cfg.DefaultRegion); err != nil {
		apiStoreError(c, err)
		return
	}
	if err := s.store.UpdateContact(c.Request.Context(), contact); err != nil {
		apiStoreError(c, err)
		return
	}
	c.JSON(http.StatusOK, contact)
}
