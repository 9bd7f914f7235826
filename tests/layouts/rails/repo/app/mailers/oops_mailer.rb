# One-off corrections sent by the warehouse team.
class OopsMailer < ApplicationMailer
  default from: "noreply@acme.example"

  def wrong_parcel
    @user = params[:user]
    @order = params[:order]
    mail(to: @user.email, subject: t(".subject"))
  end
end
