<?php

namespace App\Mail;

use App\Models\Order;
use App\Models\User;
use Illuminate\Bus\Queueable;
use Illuminate\Mail\Mailable;
use Illuminate\Mail\Mailables\Address;
use Illuminate\Mail\Mailables\Content;
use Illuminate\Mail\Mailables\Envelope;
use Illuminate\Queue\SerializesModels;

class DeliveryRescheduled extends Mailable
{
    use Queueable, SerializesModels;

    public function __construct(public User $user, public Order $order)
    {
    }

    public function envelope(): Envelope
    {
        return new Envelope(
            from: new Address('care@brightwell.example', 'Brightwell Care'),
            subject: 'Sorry: we booked your delivery for the wrong week',
        );
    }

    public function content(): Content
    {
        return new Content(
            view: 'emails.delivery_rescheduled',
            text: 'emails.delivery_rescheduled_text',
        );
    }
}
