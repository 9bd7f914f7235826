class ApplicationMailer < ActionMailer::Base
  default from: "Acme Care <care@acme.example>"
  layout "mailer"
end
