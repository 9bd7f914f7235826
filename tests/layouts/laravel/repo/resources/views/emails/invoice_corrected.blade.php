@component('mail::message')
# Sorry: your invoice was wrong

Hi {{ $user->first_name ?? 'there' }},

We're sorry: the invoice we sent you on 2 June charged £40 for delivery on an order with
free delivery. We have cancelled it. The corrected invoice is the one to pay, and you
don't need to do anything else.

@component('mail::button', ['url' => $invoiceUrl])
View the corrected invoice
@endcomponent

If you have already paid the wrong amount, reply to this email and we will refund the
difference the same day.

Thanks,<br>
{{ config('app.name') }}
@endcomponent
