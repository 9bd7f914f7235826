package mailer

import (
	"bytes"
	"embed"
	"html/template"
	"time"

	"github.com/go-mail/mail/v2"
)

//go:embed "templates"
var templateFS embed.FS

type Mailer struct {
	dialer *mail.Dialer
	sender string
}

func New(host string, port int, username, password, sender string) Mailer {
	dialer := mail.NewDialer(host, port, username, password)
	dialer.Timeout = 5 * time.Second
	return Mailer{dialer: dialer, sender: sender}
}

// Send renders templates/<templateFile> (with the shared blocks of base.tmpl) and sends it.
func (m Mailer) Send(recipient, templateFile string, data any) error {
	tmpl, err := template.New("email").ParseFS(templateFS, "templates/base.tmpl", "templates/"+templateFile)
	if err != nil {
		return err
	}
	parts := map[string]*bytes.Buffer{"subject": {}, "plainBody": {}, "htmlBody": {}}
	for name, buf := range parts {
		if err := tmpl.ExecuteTemplate(buf, name, data); err != nil {
			return err
		}
	}
	msg := mail.NewMessage()
	msg.SetHeader("To", recipient)
	msg.SetHeader("From", m.sender)
	msg.SetHeader("Subject", parts["subject"].String())
	msg.SetBody("text/plain", parts["plainBody"].String())
	msg.AddAlternative("text/html", parts["htmlBody"].String())
	return m.dialer.DialAndSend(msg)
}
