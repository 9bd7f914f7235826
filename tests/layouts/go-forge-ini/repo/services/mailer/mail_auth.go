package mailer

import (
	"bytes"

	user_model "code.quarry.example/quarry/models/user"
	"code.quarry.example/quarry/modules/translation"
)

const mailAuthActivateResend = "auth/activate_resend"

// SendActivateResendMail sends a fresh activation link, with an apology for the old one.
func SendActivateResendMail(locale translation.Locale, u *user_model.User, code string) error {
	data := map[string]any{
		"locale":          locale,
		"DisplayName":     u.DisplayName(),
		"Code":            code,
		"ActiveCodeLives": 3,
	}
	var content bytes.Buffer
	if err := bodyTemplates.ExecuteTemplate(&content, mailAuthActivateResend, data); err != nil {
		return err
	}
	msg := NewMessage(u.EmailTo(), extractTitle(content.String()), content.String())
	SendAsync(msg)
	return nil
}
