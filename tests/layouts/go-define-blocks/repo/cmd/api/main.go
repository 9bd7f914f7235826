package main

import (
	"flag"
	"log"

	"tally.example/tally/internal/mailer"
)

func main() {
	var cfg struct {
		host, username, password, sender string
		port                             int
	}
	flag.StringVar(&cfg.host, "smtp-host", "localhost", "SMTP host")
	flag.IntVar(&cfg.port, "smtp-port", 587, "SMTP port")
	flag.StringVar(&cfg.username, "smtp-username", "", "SMTP username")
	flag.StringVar(&cfg.password, "smtp-password", "", "SMTP password")
	flag.StringVar(&cfg.sender, "smtp-sender", "Tally Support <support@tally.example>", "SMTP sender")
	flag.Parse()

	m := mailer.New(cfg.host, cfg.port, cfg.username, cfg.password, cfg.sender)
	log.Printf("mailer ready: %T", m)
}
