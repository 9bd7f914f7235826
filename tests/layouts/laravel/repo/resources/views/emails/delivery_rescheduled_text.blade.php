{{ __('Hi :name,', ['name' => $user->first_name ?? 'there']) }}

{{ __("We're sorry: we booked your sofa's delivery for the wrong week.") }}

It will now arrive on {{ $order->delivery_date->format('l j F') }}, between 8am and
1pm. You don't need to do anything.

If that day doesn't suit you, reply to this email or call us on 0117 496 0555 and
we will find another.

Hannah Price, Brightwell Care

Brightwell Furniture Ltd, 7 Temple Gate, Bristol BS1 6PL
