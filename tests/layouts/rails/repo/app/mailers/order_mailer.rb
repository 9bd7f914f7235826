class OrderMailer < ApplicationMailer
  # Subject: en.order_mailer.delivery_delayed.subject
  def delivery_delayed
    @order = params[:order]
    @user = @order.user
    mail(to: @user.email)
  end
end
